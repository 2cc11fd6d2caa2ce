extension GraphCypher {
    // MARK: What the consistency check reads outside its ranges of ids (GraphCypher+CheckRanges has the rest).

    /// The element ids of MENTIONS whose ends are not a Document and an Entity.
    package static let readDanglingMentions = """
        MATCH (a)-[m:MENTIONS]->(b)
        WHERE NOT (a:Document AND b:Entity)
        RETURN elementId(m) AS id
        """

    // MARK: Repairs. Each is idempotent: a second run finds nothing to do.

    /// Deletes every MENTIONS whose ends are not a Document and an Entity (our writers never
    /// make one, so this cannot touch a concurrent ingest's work); returns `deleted`.
    package static let deleteDanglingMentions = """
        MATCH (a)-[m:MENTIONS]->(b)
        WHERE NOT (a:Document AND b:Entity)
        DELETE m
        RETURN count(*) AS deleted
        """

    /// For each id in `$ids`, keeps the Document node with the most MENTIONS and deletes the
    /// others with their relationships; returns `deleted`.
    package static let collapseDuplicateDocuments = collapseDuplicates(node: "(n:Document {id: id})", degree: "(n)-[m:MENTIONS]->()")

    /// For each id in `$ids`, keeps the Entity node with the most MENTIONS and deletes the
    /// others with their relationships; returns `deleted`.
    package static let collapseDuplicateEntities = collapseDuplicates(node: "(n:Entity {id: id})", degree: "()-[m:MENTIONS]->(n)")

    private static func collapseDuplicates(node: String, degree: String) -> String {
        """
        UNWIND $ids AS id
        MATCH \(node)
        OPTIONAL MATCH \(degree)
        WITH id, n, count(m) AS degree ORDER BY degree DESC
        WITH id, collect(n) AS nodes
        UNWIND nodes[1..] AS extra
        DETACH DELETE extra
        RETURN count(*) AS deleted
        """
    }

    /// Deletes the entities in `$ids` with their relationships, whatever mentions them.
    package static let deleteEntities = """
        UNWIND $ids AS id
        MATCH (e:Entity {id: id})
        DETACH DELETE e
        """

    /// Rewrites documents from the registry; `$rows` as ``mergeDocuments``. The registry keeps
    /// no title, so a node's title stays, and a node made anew takes the row's (its source).
    package static let restoreDocuments = """
        UNWIND $rows AS row
        MERGE (d:Document {id: row.id})
        SET d.source = row.source, d.path = row.source, d.title = coalesce(d.title, row.title), d.sha256 = row.sha256,
            d.bytes = row.bytes, d.version = row.version
        """

    /// Deletes every MENTIONS between the pairs in `$rows` (`{d, e, ...}`).
    package static let deleteMentionPairs = """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.d})-[m:MENTIONS]->(e:Entity {id: row.e})
        DELETE m
        """

    /// Sets the count of the MENTIONS of each pair in `$rows` (`{d, e, c, o}`), creating it when
    /// missing; offsets already on a relationship stay (the registry keeps only counts).
    package static let restoreMentionCounts = """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.d})
        MATCH (e:Entity {id: row.e})
        MERGE (d)-[m:MENTIONS]->(e)
        SET m.count = row.c, m.offsets = coalesce(m.offsets, row.o)
        """
}

extension GraphCypher {
    // MARK: The chunk layer's bulk reads: one streaming query per kind, never one per id.

    // MARK: The chunk layer's repairs. Each is idempotent.

    /// Deletes Chunk nodes with their relationships; `$rows`: `{id, d}`. Every node with the id
    /// goes when `d` is -1 (the registry does not list the chunk); otherwise those that do not
    /// hang from Document `d` alone (the registry's chunk stays). Returns `deleted`.
    package static let deleteChunks = """
        UNWIND $rows AS row
        MATCH (c:Chunk {id: row.id})
        WHERE row.d = -1 OR NOT EXISTS { (c)-[:FROM_DOCUMENT]->(:Document {id: row.d}) }
            OR EXISTS { (c)-[:FROM_DOCUMENT]->(o:Document) WHERE o.id <> row.d }
        DETACH DELETE c
        RETURN count(*) AS deleted
        """

    /// Deletes every FROM_CHUNK from Entity `e` to Chunk `c` for each row of `$rows` (`{e, c, ...}`).
    package static let deleteChunkMentionPairs = """
        UNWIND $rows AS row
        MATCH (e:Entity {id: row.e})-[r:FROM_CHUNK]->(c:Chunk {id: row.c})
        DELETE r
        """

    /// Deletes the NEXT_CHUNK that leave the chunks of the documents in `$ids`
    /// (before their chains are made again with ``createNextChunks``).
    package static let deleteNextChunksFromDocuments = """
        UNWIND $ids AS id
        MATCH (:Document {id: id})<-[:FROM_DOCUMENT]-(:Chunk)-[r:NEXT_CHUNK]->()
        DELETE r
        """

    /// Deletes the NEXT_CHUNK that reach the chunks of the documents in `$ids` (from a chunk
    /// of another document, say); run after ``deleteNextChunksFromDocuments``.
    package static let deleteNextChunksIntoDocuments = """
        UNWIND $ids AS id
        MATCH (:Document {id: id})<-[:FROM_DOCUMENT]-(:Chunk)<-[r:NEXT_CHUNK]-()
        DELETE r
        """
}
