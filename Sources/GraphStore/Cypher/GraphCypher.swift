/// The Cypher of the graph model (docs/design.md, "Graph model"), always with parameters.
///
/// Every write is idempotent, so running a batch twice leaves the same graph: documents are
/// merged on their registry id, entities looked up by it and then updated or created
/// (``mergeEntities``), a document's MENTIONS and chunks deleted and created again in one
/// transaction, CO_OCCURS_WITH merged or, where the registry knows there is none, created.
/// Parameter rows use short keys to keep batches small.
package enum GraphCypher {
    /// Merges documents; `$rows`: `{id, source, title, sha256, bytes, version}`. `path` repeats
    /// `source`: neo4j-graphrag's lexical graph names a document's origin `path`.
    package static let mergeDocuments = """
        UNWIND $rows AS row
        MERGE (d:Document {id: row.id})
        SET d.source = row.source, d.path = row.source, d.title = row.title, d.sha256 = row.sha256, d.bytes = row.bytes,
            d.version = row.version
        """

    /// Merges entities; `$rows`: `{id, key, name, type}`, each id once. Entities also carry the
    /// label `__Entity__`, which neo4j-graphrag's retrievers and tools look for.
    ///
    /// Not `MERGE`: on ArcadeDB a node's labels are its type, so `MERGE (e:Entity:__Entity__
    /// {id: ...})` finds no index for the pair of labels and scans every entity (a batch of 2,000
    /// took 0.4 s into an empty graph and 2.9 s into one of 12,000: quadratic), and adding the
    /// label afterwards (`SET e:__Entity__`) makes the node again under a new type, which the
    /// uniqueness constraint refuses within the transaction. So the existing node is looked up
    /// through `Entity.id`'s index and updated, and a missing one is created with both labels
    /// (0.2 s a batch whatever the graph's size). Neo4j 5 runs the same statement.
    package static let mergeEntities = """
        UNWIND $rows AS row
        OPTIONAL MATCH (existing:Entity {id: row.id})
        FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
            CREATE (:Entity:__Entity__ {id: row.id, key: row.key, name: row.name, type: row.type}))
        WITH row, existing WHERE existing IS NOT NULL
        SET existing.key = row.key, existing.name = row.name, existing.type = row.type
        """

    /// Creates MENTIONS between existing nodes; `$rows`: `{d, e, c, o}` (document id, entity id,
    /// count, offsets), each pair once.
    ///
    /// CREATE, not MERGE: it runs in the transaction that first deleted every MENTIONS of the
    /// documents (``deleteMentionsOfDocuments``), so no relationship can exist already and the
    /// server need not look for one (on ArcadeDB this writes MENTIONS about three times faster).
    package static let createMentions = """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.d})
        MATCH (e:Entity {id: row.e})
        CREATE (d)-[:MENTIONS {count: row.c, offsets: row.o}]->(e)
        """

    /// Deletes every MENTIONS of the documents in `$ids` (before their new ones are written).
    package static let deleteMentionsOfDocuments = """
        UNWIND $ids AS id
        MATCH (d:Document {id: id})-[m:MENTIONS]->()
        DELETE m
        """

    /// Deletes the chunks of the documents in `$ids` with their relationships (before their new
    /// ones are written).
    package static let deleteChunksOfDocuments = """
        UNWIND $ids AS id
        MATCH (:Document {id: id})<-[:FROM_DOCUMENT]-(c:Chunk)
        DETACH DELETE c
        """

    /// Creates chunks with their FROM_DOCUMENT and the FROM_CHUNK that lead to them; `$rows`:
    /// `{id, d, i, t, s, e, h, m}` (chunk id, document id, index, text, start, end, sha256, and
    /// the chunk's entities as `[{e, n, o}]`: entity id, count, offsets in the chunk). CREATE, as
    /// for MENTIONS: the same transaction first deleted the documents' chunks
    /// (``deleteChunksOfDocuments``). FROM_CHUNK is made here, from the chunk just created,
    /// rather than by a statement of its own that would look each chunk up again by its string
    /// id (on ArcadeDB that cut the chunk layer's write time by about a quarter).
    package static let createChunks = """
        UNWIND $rows AS row
        MATCH (d:Document {id: row.d})
        CREATE (c:Chunk {id: row.id, index: row.i, text: row.t, start: row.s, end: row.e, sha256: row.h})-[:FROM_DOCUMENT]->(d)
        WITH c, row
        UNWIND row.m AS m
        MATCH (e:Entity {id: m.e})
        CREATE (e)-[:FROM_CHUNK {count: m.n, offsets: m.o}]->(c)
        """

    /// Sets `Chunk.embedding`; `$rows`: `{id, v}` (chunk id, vector).
    package static let setChunkEmbeddings = """
        UNWIND $rows AS row
        MATCH (c:Chunk {id: row.id})
        SET c.embedding = row.v
        """

    /// Links each chunk to the next one of its document; `$rows`: `{a, b}` (chunk ids).
    package static let createNextChunks = """
        UNWIND $rows AS row
        MATCH (a:Chunk {id: row.a})
        MATCH (b:Chunk {id: row.b})
        CREATE (a)-[:NEXT_CHUNK]->(b)
        """

    /// Deletes the documents in `$ids` with their chunks and all their relationships.
    package static let deleteDocuments = """
        UNWIND $ids AS id
        MATCH (d:Document {id: id})
        OPTIONAL MATCH (d)<-[:FROM_DOCUMENT]-(c:Chunk)
        DETACH DELETE c, d
        """

    /// Deletes those of the entities in `$ids` that no document mentions any more (a FROM_CHUNK
    /// without MENTIONS does not keep one); returns their ids as `id`.
    package static let deleteOrphanEntities = """
        UNWIND $ids AS id
        MATCH (e:Entity {id: id})
        WHERE NOT ()-[:MENTIONS]->(e)
        DETACH DELETE e
        RETURN id
        """

    /// Sets CO_OCCURS_WITH edges to the registry's totals, creating those missing; `$rows`:
    /// `{a, b, c, n}` (lower entity id, higher entity id, count, documents). Absolute values, not
    /// increments: writing a row twice, or an older row after a newer one was corrected, leaves
    /// the totals the registry holds.
    ///
    /// The pattern starts at the higher id's end (`(b)<-[r]-(a)`, the same edge): ArcadeDB looks
    /// for the relationship among the edges of the node it starts from, and the lower id's
    /// entity is the older one, with its FROM_CHUNK and CO_OCCURS_WITH in the thousands when it
    /// is popular. Written so, 2,000 rows took 0.15 s instead of 0.64 s on the benchmark graph.
    package static let mergeCooccurrences = """
        UNWIND $rows AS row
        MATCH (b:Entity {id: row.b})
        MATCH (a:Entity {id: row.a})
        MERGE (b)<-[r:CO_OCCURS_WITH]-(a)
        SET r.count = row.c, r.documents = row.n
        """

    /// Creates CO_OCCURS_WITH edges the graph does not hold; `$rows` as for
    /// ``mergeCooccurrences``. For pairs the registry knows to have no edge: CREATE does not look
    /// through a popular entity's edges as MERGE does (on ArcadeDB, 63,398 new edges took 1.1 s
    /// instead of 4.1 s). The registry marks the pairs before (``RegistryStore/markEdgesUncertain(_:)``),
    /// so a write that is not recorded is merged, not created again, the next time.
    package static let createCooccurrences = """
        UNWIND $rows AS row
        MATCH (b:Entity {id: row.b})
        MATCH (a:Entity {id: row.a})
        CREATE (b)<-[:CO_OCCURS_WITH {count: row.c, documents: row.n}]-(a)
        """

    /// Deletes CO_OCCURS_WITH edges; `$rows`: `{a, b}`. A missing edge is no error.
    package static let deleteCooccurrences = """
        UNWIND $rows AS row
        MATCH (b:Entity {id: row.b})<-[r:CO_OCCURS_WITH]-(a:Entity {id: row.a})
        DELETE r
        """
}
