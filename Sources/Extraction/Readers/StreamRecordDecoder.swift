/// Makes documents of single JSON records that arrive one by one (a Kafka message's value), as
/// the lines of a JSONL corpus are made: the same parser, the same `--id-field` and
/// `--text-field`, the same title and hash (SHA-256 of the record's bytes).
public struct StreamRecordDecoder: Sendable {
    private let parser: JSONRecordParser
    private let idField: String
    private let textField: String

    /// A decoder for records whose id and text are in `idField` and `textField`.
    public init(idField: String = "id", textField: String = "text") {
        parser = JSONRecordParser(idField: idField, textField: textField)
        self.idField = idField
        self.textField = textField
    }

    /// The document of one record: its source is `sourcePrefix` + the record's id, or + `key`
    /// when the record has none.
    /// - Returns: the document, or why the record is not one (not UTF-8, not a JSON object, no id
    ///   and no key, no string text).
    public func document(record: [UInt8], key: String?, sourcePrefix: String) -> Result<SourceDocument, SourceRejection> {
        let fallback = sourcePrefix + (key ?? "")
        return record.withUnsafeBufferPointer { raw -> Result<SourceDocument, SourceRejection> in
            switch parser.parse(raw) {
            case .failure(let failure):
                return .failure(SourceRejection(source: fallback, reason: failure.reason))
            case .success(let parsed):
                guard let id = parsed.id.flatMap({ $0.isEmpty ? nil : $0 }) ?? key else {
                    return .failure(SourceRejection(source: fallback, reason: "malformed record: no '\(idField)' field and no message key"))
                }
                let source = sourcePrefix + id
                guard let text = parsed.text else {
                    return .failure(SourceRejection(source: source, reason: "malformed record: no string '\(textField)' field"))
                }
                return .success(SourceDocument(
                    source: source, title: parsed.title ?? DocumentTitle.firstLine(of: text) ?? source,
                    sha256: SHA256.hex(UnsafeRawBufferPointer(raw)), bytes: raw.count, charset: "UTF-8", text: text))
            }
        }
    }
}
