import Foundation

/// Parsing one JSON object per line, shared by the gazetteer, record and interchange readers.
enum JSONLine {
    /// The JSON object on `line`.
    /// - Throws: `ExtractionError.badLine` ("invalid JSON", "expected a JSON object").
    static func object(_ line: some Sequence<UInt8>) throws(ExtractionError) -> [String: Any] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(line))
        } catch {
            throw ExtractionError(.badLine, message: "invalid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw ExtractionError(.badLine, message: "expected a JSON object") }
        return object
    }

    /// A JSON number, or nil for anything else, true and false included: Foundation gives
    /// those as NSNumber too (a `__NSCFBoolean`, whose dynamic type is not `Bool`), told apart by
    /// their C type "c".
    static func number(_ value: Any?) -> NSNumber? {
        guard let number = value as? NSNumber, number.objCType.pointee != CChar(UInt8(ascii: "c")) else { return nil }
        return number
    }

    /// A string, or a number written as text (ids are often numbers).
    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: string
        case let number as NSNumber where type(of: number) != Bool.self: number.stringValue
        default: nil
        }
    }

    /// The byte a one-character escape stands for (`\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t`, given
    /// the character after the backslash), or nil when it is not one (`\u` is not).
    static func unescaped(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        default: nil
        }
    }
}
