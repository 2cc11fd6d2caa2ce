extension RegistryStore {
    /// Registers entity keys and returns the id of each; a known key keeps its id and takes the
    /// new name and type if they changed.
    ///
    /// Each batch is one transaction: COPY into a temporary table, then one
    /// `INSERT ... ON CONFLICT ... RETURNING`. Safe to repeat. When a key appears more than once,
    /// its last registration wins.
    public func registerEntities(_ entities: [EntityRegistration]) async throws -> [String: Int64] {
        var lastIndex: [String: Int] = [:]
        for (index, entity) in entities.enumerated() { lastIndex[entity.key] = index }
        let unique = entities.enumerated().filter { lastIndex[$0.element.key] == $0.offset }.map(\.element)
        let table = "graphingest_register_entities"
        return try await register(unique, Registration(
            operation: "registerEntities",
            table: table,
            columns: "key text, name text, type text",
            columnNames: "key, name, type",
            // Known keys are found with one hash join and only rewritten when their name or
            // type changed; only the rest are inserted.
            insert: sql("""
                WITH input AS (
                    SELECT key, name, type FROM pg_temp.\(table)
                ), existing AS (
                    SELECT e.id, e.key, (e.name, e.type) IS DISTINCT FROM (input.name, input.type) AS renamed,
                           input.name, input.type
                    FROM input JOIN {schema}.entities e ON e.key = input.key
                ), renamed AS (
                    UPDATE {schema}.entities e SET name = existing.name, type = existing.type
                    FROM existing WHERE e.id = existing.id AND existing.renamed
                ), inserted AS (
                    INSERT INTO {schema}.entities (key, name, type)
                    SELECT key, name, type FROM input
                    WHERE NOT EXISTS (SELECT 1 FROM existing WHERE existing.key = input.key)
                    ORDER BY key  -- one lock order for concurrent writers (no 40P01 deadlocks)
                    ON CONFLICT (key) DO NOTHING
                    RETURNING id, key
                )
                SELECT id, key FROM inserted
                UNION ALL
                SELECT id, key FROM existing
                """),
            lookup: sql("SELECT id, key FROM {schema}.entities WHERE key = ANY($1::text[])"),
            key: \.key,
            decode: { try $0.decode(0, as: Int64.self) },
            encode: { writer, row in
                writer.append(row.key)
                writer.append(row.name)
                writer.append(row.type)
            }
        ))
    }

    /// The ids of the given entity keys that are registered.
    public func entityIDs(keys: [String]) async throws -> [String: Int64] {
        try await lookUp(keys, operation: "entityIDs",
                         query: sql("SELECT key, id FROM {schema}.entities WHERE key = ANY($1::text[])"))
    }
}
