extension GraphCypher {
    // MARK: The consistency check in ranges of ids. `$from` and `$below` bound the ids of the
    // range (half-open); the predicates on `d.id` and `e.id` are what the uniqueness
    // constraints' indexes serve.

    /// The Document nodes whose id is in the range: `id`, `source`, `sha256`.
    package static let readDocumentsInRange = """
        MATCH (d:Document) WHERE d.id >= $from AND d.id < $below
        RETURN d.id AS id, d.source AS source, d.sha256 AS sha256
        """

    /// The MENTIONS of the range's Document nodes: `d`, `e` (their ids) and `c` (the count).
    package static let readMentionsInRange = """
        MATCH (d:Document)-[m:MENTIONS]->(e:Entity) WHERE d.id >= $from AND d.id < $below
        RETURN d.id AS d, e.id AS e, m.count AS c
        """

    /// The Chunk nodes hanging by FROM_DOCUMENT from the range's Document nodes (without their
    /// text), once per FROM_DOCUMENT.
    package static let readChunksInRange = """
        MATCH (d:Document)<-[:FROM_DOCUMENT]-(c:Chunk) WHERE d.id >= $from AND d.id < $below
        RETURN c.id AS id, c.index AS i, c.start AS s, c.end AS e, c.sha256 AS h, d.id AS d
        """

    /// Chunk nodes with no FROM_DOCUMENT to any Document: `id` (a scan of the Chunk label that
    /// returns only what is wrong).
    package static let readChunksWithoutDocument = """
        MATCH (c:Chunk) WHERE NOT EXISTS { (c)-[:FROM_DOCUMENT]->(:Document) }
        RETURN c.id AS id
        """

    /// NEXT_CHUNK leaving the chunks of the range's Document nodes: `r` (its element id), `a`,
    /// `b` (the ends' ids).
    package static let readNextChunksFromRange = """
        MATCH (d:Document)<-[:FROM_DOCUMENT]-(c:Chunk) WHERE d.id >= $from AND d.id < $below
        WITH DISTINCT c
        MATCH (c)-[r:NEXT_CHUNK]->(b:Chunk)
        RETURN elementId(r) AS r, c.id AS a, b.id AS b
        """

    /// NEXT_CHUNK reaching the chunks of the range's Document nodes, as
    /// ``readNextChunksFromRange``.
    package static let readNextChunksIntoRange = """
        MATCH (d:Document)<-[:FROM_DOCUMENT]-(c:Chunk) WHERE d.id >= $from AND d.id < $below
        WITH DISTINCT c
        MATCH (a:Chunk)-[r:NEXT_CHUNK]->(c)
        RETURN elementId(r) AS r, a.id AS a, c.id AS b
        """

    /// FROM_CHUNK reaching the chunks of the range's Document nodes: `e` (entity id), `c`
    /// (chunk id), `n` (count).
    package static let readChunkMentionsInRange = """
        MATCH (d:Document)<-[:FROM_DOCUMENT]-(c:Chunk) WHERE d.id >= $from AND d.id < $below
        WITH DISTINCT c
        MATCH (e:Entity)-[r:FROM_CHUNK]->(c)
        RETURN e.id AS e, c.id AS c, r.count AS n
        """

    /// The Entity nodes whose id is in the range: `id`, `key`, `name`, `type`, and whether any
    /// MENTIONS points at it.
    package static let readEntitiesInRange = """
        MATCH (e:Entity) WHERE e.id >= $from AND e.id < $below
        RETURN e.id AS id, e.key AS key, e.name AS name, e.type AS type, EXISTS { ()-[:MENTIONS]->(e) } AS mentioned
        """

    /// The CO_OCCURS_WITH leaving the range's Entity nodes (reversed edges included: they leave
    /// their higher end): `a`, `b`, `count`, `documents`.
    package static let readCooccurrencesInRange = """
        MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity) WHERE a.id >= $from AND a.id < $below
        RETURN a.id AS a, b.id AS b, r.count AS count, r.documents AS documents
        """
}
