/// The Cypher of the graph model (DESIGN.md), always with parameters.
///
/// Every write is idempotent: MERGE on the registry id, then SET the properties, so running a
/// batch twice leaves the same graph. Parameter rows use short keys to keep batches small.
public enum GraphCypher {
    /// Merges documents; `$rows`: `{id, source, title, sha256, bytes, version}`.
    public static let mergeDocuments = """
        UNWIND $rows AS row
        MERGE (d:Document {id: row.id})
        SET d.source = row.source, d.title = row.title, d.sha256 = row.sha256, d.bytes = row.bytes, d.version = row.version
        """

    /// Merges entities; `$rows`: `{id, key, name, type}`.
    public static let mergeEntities = """
        UNWIND $rows AS row
        MERGE (e:Entity {id: row.id})
        SET e.key = row.key, e.name = row.name, e.type = row.type
        """

    /// Creates MENTIONS between existing nodes; `$rows`: `{d, e, c, o}` (document id, entity id,
    /// count, offsets), each pair once.
    ///
    /// CREATE, not MERGE: it runs in the transaction that first deleted every MENTIONS of the
    /// documents (``deleteMentionsOfDocuments``), so no relationship can exist already and the
    /// server need not look for one (on ArcadeDB this writes MENTIONS about three times faster).
    public static let createMentions = """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.d})
        MATCH (e:Entity {id: row.e})
        CREATE (d)-[:MENTIONS {count: row.c, offsets: row.o}]->(e)
        """

    /// Deletes every MENTIONS of the documents in `$ids` (before their new ones are written).
    public static let deleteMentionsOfDocuments = """
        UNWIND $ids AS id
        MATCH (d:Document {id: id})-[m:MENTIONS]->()
        DELETE m
        """

    /// Deletes the documents in `$ids` with their relationships.
    public static let deleteDocuments = """
        UNWIND $ids AS id
        MATCH (d:Document {id: id})
        DETACH DELETE d
        """

    /// Deletes those of the entities in `$ids` that no document mentions any more; returns
    /// their ids as `id`.
    public static let deleteOrphanEntities = """
        UNWIND $ids AS id
        MATCH (e:Entity {id: id})
        WHERE NOT ()-[:MENTIONS]->(e)
        DETACH DELETE e
        RETURN id
        """
}
