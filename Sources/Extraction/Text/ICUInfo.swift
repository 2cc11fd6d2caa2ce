internal import CICU

/// Facts about the ICU library in use.
public enum ICUInfo {
    /// The ICU version, e.g. "72.1" (part of the extractor's fingerprint: word breaks and
    /// normalization data change between versions).
    public static var version: String { String(cString: gi_icu_version()) }
}
