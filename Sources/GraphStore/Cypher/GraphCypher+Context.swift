extension GraphCypher {
    // MARK: Entity-to-passage retrieval (`graphingest context`)

    /// The order of the context ranking, most important first, over the columns of
    /// ``contextChunks``: the number of distinct question entities in the chunk (`matched`), then
    /// the sum of their FROM_CHUNK counts (`weight`), then how strongly the chunk's other
    /// entities co-occur with the question's (`cooccurrence`: the sum of the CO_OCCURS_WITH
    /// counts between them), then a stable tie-break (`document`, `index`).
    static let contextRanking = "matched DESC, weight DESC, cooccurrence DESC, document, index"

    /// How many of the best chunks by `matched` and `weight` the co-occurrence term ranks, for
    /// a `limit`: the term reads each candidate's other entities and their CO_OCCURS_WITH, so it
    /// is computed for a bounded pool, not for every chunk a popular entity leads to.
    package static func contextPool(limit: Int) -> Int { max(50, 10 * limit) }

    /// The chunks that the entities with the keys in `$keys` (distinct) lead to through
    /// FROM_CHUNK, ranked by ``contextRanking``, at most `$limit` of them; each row: `id`,
    /// `index`, `text`, `document` (its document's id), `source`, `matched`, `weight`,
    /// `cooccurrence`, and `entities`, every entity of the chunk as `{key, name, type, count}`
    /// (the question's first, then the most mentioned, then by key).
    ///
    /// One statement, bounded by its parameters: entities are found by `key` (indexed by
    /// `graphingest init` where the dialect has the index), the FROM_CHUNK of those entities
    /// alone are read and ranked by `matched` and `weight`, the best `$pool`
    /// (``contextPool(limit:)``) get their co-occurrence term (their other entities'
    /// CO_OCCURS_WITH to the question's entities) and are ranked again, cut to `$limit` before
    /// their text is touched, and only those chunks' entities are collected. The last
    /// `ORDER BY` restores the order the aggregation of `entities` does not keep.
    package static let contextChunks = """
        UNWIND $keys AS key
        MATCH (q:Entity {key: key})
        WITH collect(q) AS question
        UNWIND question AS e
        MATCH (e)-[r:FROM_CHUNK]->(c:Chunk)
        WITH question, c, count(DISTINCT e) AS matched, sum(r.count) AS weight
        MATCH (c)-[:FROM_DOCUMENT]->(d:Document)
        WITH question, c, d, matched, weight, d.id AS document, c.index AS index
        ORDER BY matched DESC, weight DESC, document, index LIMIT $pool
        OPTIONAL MATCH (o:Entity)-[:FROM_CHUNK]->(c) WHERE NOT o IN question
        OPTIONAL MATCH (o)-[co:CO_OCCURS_WITH]-(n:Entity) WHERE n IN question
        WITH c, d, matched, weight, document, index, sum(coalesce(co.count, 0)) AS cooccurrence
        ORDER BY \(contextRanking) LIMIT $limit
        OPTIONAL MATCH (o:Entity)-[f:FROM_CHUNK]->(c)
        WITH c, d, matched, weight, cooccurrence, document, index, o, f ORDER BY o.key IN $keys DESC, f.count DESC, o.key
        WITH c, d, matched, weight, cooccurrence, document, index, collect({key: o.key, name: o.name, type: o.type, count: f.count}) AS entities
        RETURN c.id AS id, index, c.text AS text, document, d.source AS source, matched, weight, cooccurrence, entities
        ORDER BY \(contextRanking)
        """
}
