extension GraphCypher {
    // MARK: Entity-to-passage retrieval (`graphingest context`)

    /// The order of the context ranking, most important first, over the columns of
    /// ``contextChunks``: the number of distinct question entities in the chunk (`matched`), then
    /// the sum of their FROM_CHUNK counts (`weight`), then a stable tie-break (`document`,
    /// `index`).
    ///
    /// Ranking hook (issue 14): the third criterion, the co-occurrence strength of the chunk's
    /// other entities with the question's (from `CO_OCCURS_WITH` counts), goes between `weight`
    /// and the tie-break: compute it as a column `cooccurrence` in ``contextChunks`` before its
    /// first `ORDER BY`, and add `cooccurrence DESC` here.
    static let contextRanking = "matched DESC, weight DESC, document, index"

    /// The chunks that the entities with the keys in `$keys` (distinct) lead to through
    /// FROM_CHUNK, ranked by ``contextRanking``, at most `$limit` of them; each row: `id`,
    /// `index`, `text`, `document` (its document's id), `source`, `matched`, `weight`, and
    /// `entities`, every entity of the chunk as `{key, name, type, count}` (the question's
    /// first, then the most mentioned, then by key).
    ///
    /// One statement, bounded by its parameters: entities are found by `key` (indexed by
    /// `graphingest init` where the dialect has the index), the FROM_CHUNK of those entities
    /// alone are read and ranked, the chunks are cut to `$limit` before their text and other
    /// entities are touched, and only those chunks' entities are collected. The second
    /// `ORDER BY` restores the order the aggregation of `entities` does not keep.
    public static let contextChunks = """
        UNWIND $keys AS key
        MATCH (e:Entity {key: key})-[r:FROM_CHUNK]->(c:Chunk)
        WITH c, count(DISTINCT e) AS matched, sum(r.count) AS weight
        MATCH (c)-[:FROM_DOCUMENT]->(d:Document)
        WITH c, d, matched, weight, d.id AS document, c.index AS index
        ORDER BY \(contextRanking) LIMIT $limit
        OPTIONAL MATCH (o:Entity)-[f:FROM_CHUNK]->(c)
        WITH c, d, matched, weight, document, index, o, f ORDER BY o.key IN $keys DESC, f.count DESC, o.key
        WITH c, d, matched, weight, document, index, collect({key: o.key, name: o.name, type: o.type, count: f.count}) AS entities
        RETURN c.id AS id, index, c.text AS text, document, d.source AS source, matched, weight, entities
        ORDER BY \(contextRanking)
        """
}
