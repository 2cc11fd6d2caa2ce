internal import CICU

/// A text's UTF-16, which ICU works on, in storage reused from text to text: it grows to the
/// largest text seen and is never shrunk, so a worker converts each document without allocating.
struct UTF16Buffer {
    /// The storage; the current text is its first `count` units.
    private(set) var storage: [UInt16] = []
    /// The current text's length in UTF-16 units.
    private(set) var count = 0

    /// Converts `utf8`, which comes from a String and so is well-formed, into the buffer.
    mutating func load(_ utf8: UnsafeBufferPointer<UInt8>) {
        if storage.count < utf8.count + 1 {
            storage = [UInt16](repeating: 0, count: utf8.count + 1)
        }
        var status: gi_status = 0
        let length = storage.withUnsafeMutableBufferPointer { dest in
            gi_utf8_to_utf16(utf8.baseAddress, Int32(utf8.count), dest.baseAddress, Int32(dest.count), &status)
        }
        // Well-formed UTF-8 always converts (UTF-16 is never longer), so the status is success.
        count = Int(length)
    }

    /// Converts the UTF-8 of `text` into the buffer.
    mutating func load(_ text: String) {
        var text = text
        text.withUTF8 { load($0) }
    }

    /// Calls `body` with the current text's units.
    func withUnits<R, E: Error>(_ body: (UnsafeBufferPointer<UInt16>) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBufferPointer { all throws(E) in
            try body(UnsafeBufferPointer(rebasing: all[0..<count]))
        }
    }
}
