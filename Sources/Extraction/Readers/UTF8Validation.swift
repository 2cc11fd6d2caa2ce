/// UTF-8 validation over raw bytes (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), without making a String: records are checked before they are parsed, and a CSV file
/// is checked block by block before it is streamed.
enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        validPrefixEnd(bytes) == bytes.count
    }

    /// The end of the longest prefix of `bytes` made of whole, well-formed sequences. A sequence
    /// cut by the end of a block also ends the prefix: a caller reading blocks carries the last
    /// (at most 3) bytes into the next block, where they are checked again whole.
    static func validPrefixEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII runs are most of any corpus: test eight bytes at a time.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F  // no UTF-16 surrogates
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F  // nothing above U+10FFFF
            default: return index
            }
            // The second byte has the lead's own range; the others any continuation byte.
            var offset = 1
            while offset < length {
                guard index + offset < count else { return index }
                let byte = base[index + offset]
                if offset == 1 ? (byte < low || byte > high) : (byte & 0xC0 != 0x80) { return index }
                offset += 1
            }
            index += length
        }
        return index
    }
}
