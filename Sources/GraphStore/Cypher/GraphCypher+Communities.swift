extension GraphCypher {
    /// Creates or updates `__Community__` nodes by id from `$rows` (`{id, level, size, weight,
    /// rank, title, summary, sha}`): LLM Graph Builder's names (`community_rank`, `weight`), so
    /// its retrievers read them.
    static let mergeCommunities = """
        UNWIND $rows AS row
        MERGE (c:__Community__ {id: row.id})
        SET c.level = row.level, c.size = row.size, c.weight = row.weight, c.community_rank = row.rank,
            c.title = row.title, c.summary = row.summary, c.members_sha256 = row.sha
        """

    /// Deletes the parent links (IN_COMMUNITY and PARENT_COMMUNITY to a community) of the
    /// communities in `$ids`.
    static let deleteCommunityParents = [
        """
        UNWIND $ids AS id
        MATCH (:__Community__ {id: id})-[r:IN_COMMUNITY]->(:__Community__)
        DELETE r
        """,
        """
        UNWIND $ids AS id
        MATCH (:__Community__ {id: id})-[r:PARENT_COMMUNITY]->(:__Community__)
        DELETE r
        """,
    ]

    /// Links each community of `$rows` (`{c, p}`) to its parent: IN_COMMUNITY, as the entities
    /// are linked to their communities, and PARENT_COMMUNITY, LLM Graph Builder's name.
    static let createCommunityParents = """
        UNWIND $rows AS row
        MATCH (c:__Community__ {id: row.c})
        MATCH (p:__Community__ {id: row.p})
        CREATE (c)-[:IN_COMMUNITY]->(p)
        CREATE (c)-[:PARENT_COMMUNITY]->(p)
        """

    /// Deletes the IN_COMMUNITY links of the entities in `$ids`.
    static let deleteEntityMemberships = """
        UNWIND $ids AS id
        MATCH (:Entity {id: id})-[r:IN_COMMUNITY]->(:__Community__)
        DELETE r
        """

    /// Links each entity of `$rows` (`{e, c}`) to its community on the finest level.
    static let createEntityMemberships = """
        UNWIND $rows AS row
        MATCH (e:Entity {id: row.e})
        MATCH (c:__Community__ {id: row.c})
        CREATE (e)-[:IN_COMMUNITY]->(c)
        """

    /// Deletes the `__Community__` nodes in `$ids` with their links.
    static let deleteCommunities = """
        UNWIND $ids AS id
        MATCH (c:__Community__ {id: id})
        DETACH DELETE c
        """

    /// Every community's properties and parent (the consistency check's and the tests' view).
    static let readCommunities = """
        MATCH (c:__Community__)
        OPTIONAL MATCH (c)-[:IN_COMMUNITY]->(p:__Community__)
        RETURN c.id AS id, c.level AS level, p.id AS parent, c.size AS size, c.weight AS weight, c.community_rank AS rank,
               c.title AS title, c.summary AS summary, c.members_sha256 AS sha
        """

    /// Every entity's community link: entity id and community id.
    static let readEntityMemberships = """
        MATCH (e:Entity)-[:IN_COMMUNITY]->(c:__Community__)
        RETURN e.id AS e, c.id AS c
        """

    /// The chunks each entity of `$ids` has FROM_CHUNK to, as three parallel lists: chunk ids,
    /// their text's SHA-256 and the mention counts (a community's weight is the number of
    /// distinct chunks of its entities; its summary quotes the chunks that mention most of them).
    static let entityChunks = """
        UNWIND $ids AS id
        MATCH (e:Entity {id: id})-[r:FROM_CHUNK]->(c:Chunk)
        RETURN id, collect(c.id) AS chunks, collect(c.sha256) AS shas, collect(r.count) AS counts
        """

    /// The text of the chunks in `$ids`.
    static let chunkTexts = """
        UNWIND $ids AS id
        MATCH (c:Chunk {id: id})
        RETURN c.id AS id, c.text AS text
        """
}

extension GraphCypher {
    /// The finest communities of the entities with `$keys`.
    static let entityCommunities = """
        UNWIND $keys AS key
        MATCH (:Entity {key: key})-[:IN_COMMUNITY]->(c:__Community__)
        RETURN key AS member, c.id AS id, c.level AS level, c.size AS size, c.community_rank AS rank, c.title AS title, c.summary AS summary
        """

    /// Every community on level `$level`, with the text a global retriever reads.
    static let levelCommunities = """
        MATCH (c:__Community__)
        WHERE c.level = $level
        RETURN c.id AS member, c.id AS id, c.level AS level, c.size AS size, c.community_rank AS rank, c.title AS title, c.summary AS summary
        """

    /// The coarsest level (null when there are no communities).
    static let topCommunityLevel = """
        MATCH (c:__Community__)
        RETURN max(c.level) AS level
        """

    /// The parents of the communities in `$ids`.
    static let parentCommunities = """
        UNWIND $ids AS id
        MATCH (:__Community__ {id: id})-[:PARENT_COMMUNITY]->(c:__Community__)
        RETURN id AS member, c.id AS id, c.level AS level, c.size AS size, c.community_rank AS rank, c.title AS title, c.summary AS summary
        """
}

extension GraphCypher {
    /// Sets the reports of `$rows` (`{id, title, summary, rank, embedding}`) on their communities.
    static let setCommunityReports = """
        UNWIND $rows AS row
        MATCH (c:__Community__ {id: row.id})
        SET c.title = row.title, c.summary = row.summary, c.rank = row.rank, c.embedding = row.embedding
        """

    /// The passages that mention most of the entities in `$ids`, then most often, at most
    /// `$limit`, with their documents.
    static let communityPassages = """
        UNWIND $ids AS id
        MATCH (e:Entity {id: id})-[r:FROM_CHUNK]->(c:Chunk)
        WITH c, count(DISTINCT e) AS entities, sum(r.count) AS mentions
        ORDER BY entities DESC, mentions DESC, c.sha256, c.id
        LIMIT $limit
        MATCH (c)-[:FROM_DOCUMENT]->(d:Document)
        RETURN c.id AS id, c.text AS text, d.source AS source, entities, mentions
        """
}
