internal import CICU
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns raw file bytes into text, deciding the charset as the issue says: a byte order mark
/// decides; valid UTF-8 is UTF-8; otherwise ICU's detector (ucsdet) with a confidence floor, and
/// ICU's converter (ucnv) that fails instead of substituting.
public struct TextDecoder: Sendable, Hashable {
    /// The lowest ucsdet confidence (0...100) accepted for a legacy charset.
    public var confidenceFloor: Int

    /// A decoder with a ucsdet confidence floor (0...100).
    public init(confidenceFloor: Int = 10) {
        self.confidenceFloor = confidenceFloor
    }

    /// Decoded text and the charset it came from.
    public struct Decoded: Sendable, Hashable {
        public var text: String
        public var charset: String
    }

    /// Why bytes could not be decoded (the reason of a rejection).
    public struct Failure: Error, Sendable, Hashable {
        public var reason: String
    }

    /// Decodes `bytes`.
    /// - Returns: the text and its charset, or a failure with the reason (binary, invalid
    ///   UTF-8, unknown or undecodable charset).
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Decoded, Failure> {
        let count = bytes.count
        func starts(with prefix: [UInt8]) -> Bool { count >= prefix.count && zip(prefix, bytes).allSatisfy { $0 == $1 } }
        if starts(with: [0xEF, 0xBB, 0xBF]) {
            let rest = UnsafeBufferPointer(rebasing: bytes[3...])
            guard let text = String(validating: rest, as: UTF8.self) else { return .failure(Failure(reason: "invalid UTF-8 after a UTF-8 byte order mark")) }
            return .success(Decoded(text: text, charset: "UTF-8"))
        }
        for (mark, charset) in [([0xFF, 0xFE, 0, 0] as [UInt8], "UTF-32LE"), ([0, 0, 0xFE, 0xFF], "UTF-32BE"), ([0xFF, 0xFE], "UTF-16LE"), ([0xFE, 0xFF], "UTF-16BE")] where starts(with: mark) {
            return convert(UnsafeBufferPointer(rebasing: bytes[mark.count...]), from: charset)
        }
        let hasNUL = count > 0 && memchr(bytes.baseAddress!, 0, count) != nil
        if !hasNUL, let text = String(validating: bytes, as: UTF8.self) {
            return .success(Decoded(text: text, charset: "UTF-8"))
        }
        if !hasNUL && Self.looksLikeBrokenUTF8(bytes) {
            return .failure(Failure(reason: "invalid UTF-8 (well-formed multi-byte sequences next to ill-formed ones)"))
        }
        guard let (charset, confidence) = Self.detect(bytes) else {
            return .failure(Failure(reason: hasNUL ? "binary file (NUL bytes)" : "unknown charset"))
        }
        if hasNUL && !charset.hasPrefix("UTF-16") && !charset.hasPrefix("UTF-32") {
            return .failure(Failure(reason: "binary file (NUL bytes)"))
        }
        guard confidence >= confidenceFloor else {
            return .failure(Failure(reason: "unknown charset (best guess \(charset) with confidence \(confidence) below \(confidenceFloor))"))
        }
        return convert(bytes, from: charset)
    }

    /// ICU's best guess for the charset of the first 64 KiB of `bytes`.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, Int)? {
        var name = [CChar](repeating: 0, count: 64)
        var confidence: Int32 = 0
        var status: gi_status = 0
        let sample = min(bytes.count, 1 << 16)
        guard gi_detect_charset(bytes.baseAddress, Int32(sample), &name, Int32(name.count), &confidence, &status) == 1 else { return nil }
        let charset = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (charset, Int(confidence))
    }

    private func convert(_ bytes: UnsafeBufferPointer<UInt8>, from charset: String) -> Result<Decoded, Failure> {
        var capacity = bytes.count + 16
        while true {
            var units = [UInt16](repeating: 0, count: capacity)
            var status: gi_status = 0
            let length = Int(gi_convert_to_utf16(charset, bytes.baseAddress, Int32(bytes.count), &units, Int32(capacity), &status))
            if gi_status_is_failure(status) != 0 {
                return .failure(Failure(reason: "cannot decode as \(charset) (\(String(cString: gi_status_name(status))))"))
            }
            if length > capacity {
                capacity = length
                continue
            }
            let text = String(decoding: units[0..<length], as: UTF16.self)
            if text.unicodeScalars.contains("\u{0}") {
                return .failure(Failure(reason: "binary file (NUL characters after decoding as \(charset))"))
            }
            return .success(Decoded(text: text, charset: charset))
        }
    }

    /// Whether the bytes hold at least one well-formed UTF-8 multi-byte sequence: then the
    /// ill-formed ones are damage, not a legacy charset.
    static func looksLikeBrokenUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 1
            if length > 1 && index + length <= bytes.count && (1..<length).allSatisfy({ bytes[index + $0] & 0xC0 == 0x80 }) {
                return true
            }
            index += 1
        }
        return false
    }
}
