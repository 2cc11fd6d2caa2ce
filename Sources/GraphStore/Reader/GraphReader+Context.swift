internal import Bolt
import PackStream

extension GraphReader {
    /// The chunks the entities with `keys` lead to through FROM_CHUNK, best first, at most
    /// `limit` (``GraphCypher/contextChunks``, one statement).
    ///
    /// - Parameter keys: entity keys; repeated keys count once.
    public func contextChunks(keys: [String], limit: Int) async throws -> [GraphContextChunk] {
        var seen = Set<String>()
        let distinct = keys.filter { seen.insert($0).inserted }
        guard !distinct.isEmpty, limit > 0 else { return [] }
        let parameters: [String: PackStreamParameter] = [
            "keys": .value(.list(distinct.map(PackStreamValue.string))),
            "limit": .value(.integer(Int64(limit))),
            "pool": .value(.integer(Int64(GraphCypher.contextPool(limit: limit)))),
        ]
        return try await collect(GraphCypher.contextChunks, parameters: parameters) { record in
            guard let id = record["id"]?.stringValue, let document = record["document"]?.intValue else { return nil }
            let entities = (record["entities"]?.listValue ?? []).compactMap { value -> GraphContextEntity? in
                // An OPTIONAL MATCH that found nothing collects one map of nulls.
                guard let entity = value.mapValue, let key = entity["key"]?.stringValue else { return nil }
                return GraphContextEntity(key: key, name: entity["name"]?.stringValue ?? key, type: entity["type"]?.stringValue ?? "",
                                          count: entity["count"]?.intValue ?? 0)
            }
            return GraphContextChunk(
                id: id, index: record["index"]?.intValue ?? -1, text: record["text"]?.stringValue ?? "", documentID: document,
                source: record["source"]?.stringValue ?? "", matchedEntities: Int(record["matched"]?.intValue ?? 0),
                questionMentions: record["weight"]?.intValue ?? 0, cooccurrence: record["cooccurrence"]?.intValue ?? 0, entities: entities)
        }
    }
}
