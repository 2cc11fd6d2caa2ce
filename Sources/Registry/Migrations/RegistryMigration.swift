/// One versioned step of the registry schema.
///
/// Migrations are applied in `version` order, each at most once, all in one transaction;
/// `{schema}` in `sql` stands for the quoted schema name. A released migration never changes:
/// add a new one instead.
public struct RegistryMigration: Sendable {
    /// The version, strictly increasing from 1.
    public var version: Int
    /// A short name stored in `schema_migrations`.
    public var name: String
    /// The SQL, possibly several statements.
    public var sql: String

    /// Makes a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension RegistryMigration {
    /// Every migration of the registry schema, in order.
    public static let all: [RegistryMigration] = [initialSchema, loadedRun, openDeadLettersBySource, documentChunks, entityPairs, workers, pairDeltas,
                                                    uncertainEdges, livenessLocks, communities, communityReports, streamLineage,
                                                    communityInputs]

    /// Version 1: documents, entities, mentions, runs, dead letters (docs/design.md, "Registry").
    static let initialSchema = RegistryMigration(version: 1, name: "initial schema", sql: """
        CREATE TABLE {schema}.documents (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source      text NOT NULL UNIQUE,
            sha256      text,
            bytes       bigint,
            charset     text,
            status      text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'indexing', 'loaded', 'failed', 'deleted')),
            lease_until timestamptz,
            fingerprint text,
            version     bigint NOT NULL DEFAULT 0,
            file_size   bigint,
            file_mtime  timestamptz,
            error       text,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            deleted_at  timestamptz
        );
        -- The work queue: pending documents in id order, leased ones by expiry. Claimed rows
        -- leave the pending index, so a claim never walks past what others hold.
        CREATE INDEX documents_pending ON {schema}.documents (id) WHERE status = 'pending';
        CREATE INDEX documents_leases ON {schema}.documents (lease_until) WHERE status = 'indexing';

        CREATE TABLE {schema}.entities (
            id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key  text NOT NULL UNIQUE,
            name text NOT NULL,
            type text NOT NULL
        );

        -- No foreign keys: documents and entities are never deleted (tombstones), and
        -- replaceMentionSnapshots checks every new row against both tables in bulk, which is
        -- four times cheaper than per-row foreign-key triggers.
        CREATE TABLE {schema}.document_mentions (
            document_id bigint NOT NULL,
            entity_id   bigint NOT NULL,
            count       integer NOT NULL CHECK (count > 0),
            PRIMARY KEY (document_id, entity_id)
        );
        CREATE INDEX document_mentions_entity ON {schema}.document_mentions (entity_id);

        CREATE TABLE {schema}.runs (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            command     text NOT NULL,
            arguments   jsonb NOT NULL DEFAULT '[]',
            started_at  timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            figures     jsonb
        );

        CREATE TABLE {schema}.dead_letters (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id      bigint REFERENCES {schema}.runs (id),
            source      text NOT NULL,
            stage       text NOT NULL CHECK (stage IN ('read', 'extract', 'load')),
            error       text NOT NULL,
            payload     text,
            created_at  timestamptz NOT NULL DEFAULT now(),
            resolved_at timestamptz
        );
        CREATE INDEX dead_letters_open ON {schema}.dead_letters (id) WHERE resolved_at IS NULL;
        """)

    /// Version 2: the run that last loaded each document (lineage, and how a run recognises a
    /// source it meets twice without keeping every source in memory).
    static let loadedRun = RegistryMigration(version: 2, name: "documents.loaded_run", sql: """
        ALTER TABLE {schema}.documents ADD COLUMN loaded_run bigint;
        """)

    /// Version 3: open dead letters found by source, so that loading a document resolves its
    /// letters at a cost proportional to the batch.
    static let openDeadLettersBySource = RegistryMigration(version: 3, name: "dead_letters by source", sql: """
        CREATE INDEX dead_letters_open_source ON {schema}.dead_letters (source) WHERE resolved_at IS NULL;
        """)

    /// Version 4: each document's chunks as the graph should hold them (the text stays in the
    /// graph; the registry keeps what identifies it).
    static let documentChunks = RegistryMigration(version: 4, name: "document_chunks", sql: """
        CREATE TABLE {schema}.document_chunks (
            document_id  bigint NOT NULL,
            chunk_index  integer NOT NULL CHECK (chunk_index >= 0),
            start_offset bigint NOT NULL,
            end_offset   bigint NOT NULL CHECK (end_offset >= start_offset),
            sha256       text NOT NULL,
            PRIMARY KEY (document_id, chunk_index)
        );
        """)

    /// Version 5: entity co-occurrence. Each document's pair counts, the corpus totals the
    /// CO_OCCURS_WITH edges are made from, and what the graph's edge held when it was last
    /// written (`graph_count`; NULL when the graph has no edge, 0 since version 8 when it may hold one). `pending` marks totals the graph
    /// has not caught up with yet: set in the transaction that changes the totals, cleared once
    /// the edge is written (only if `revision` did not move meanwhile), so a crash between the
    /// two leaves work the next run finds. `settings` holds the edge threshold in force.
    static let entityPairs = RegistryMigration(version: 5, name: "entity pairs", sql: """
        CREATE TABLE {schema}.document_pairs (
            document_id bigint NOT NULL,
            entity_a    bigint NOT NULL,
            entity_b    bigint NOT NULL,
            count       integer NOT NULL CHECK (count > 0),
            PRIMARY KEY (document_id, entity_a, entity_b),
            CHECK (entity_a < entity_b)
        );
        CREATE TABLE {schema}.pair_totals (
            entity_a    bigint NOT NULL,
            entity_b    bigint NOT NULL,
            count       bigint NOT NULL CHECK (count >= 0),
            documents   bigint NOT NULL CHECK (documents >= 0),
            graph_count bigint,
            pending     boolean NOT NULL DEFAULT false,
            revision    bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (entity_a, entity_b),
            CHECK (entity_a < entity_b)
        );
        CREATE INDEX pair_totals_pending ON {schema}.pair_totals (entity_a, entity_b) WHERE pending;
        CREATE INDEX pair_totals_edges ON {schema}.pair_totals (entity_a, entity_b) WHERE graph_count IS NOT NULL;
        CREATE TABLE {schema}.settings (
            name  text PRIMARY KEY,
            value text NOT NULL
        );
        """)

    /// Version 6: several processes over one corpus. `lease_holder` names the worker holding a
    /// document in `indexing`; `workers` lists the processes of `ingest` and `reindex`, with the
    /// extractor fingerprint they work with (and its parts, to name a difference) and when they
    /// were last seen: a process is alive while `seen_at` is within its lease.
    static let workers = RegistryMigration(version: 6, name: "workers and lease holders", sql: """
        ALTER TABLE {schema}.documents ADD COLUMN lease_holder text;
        CREATE TABLE {schema}.workers (
            id                text PRIMARY KEY,
            host              text NOT NULL,
            pid               integer NOT NULL,
            command           text NOT NULL,
            fingerprint       text,
            fingerprint_parts jsonb NOT NULL DEFAULT '{}',
            lease_seconds     double precision NOT NULL,
            started_at        timestamptz NOT NULL DEFAULT now(),
            seen_at           timestamptz NOT NULL DEFAULT now(),
            finished_at       timestamptz
        );
        CREATE INDEX workers_running ON {schema}.workers (seen_at) WHERE finished_at IS NULL;
        """)

    /// Version 7: commits record the change they make to the pair totals as deltas, which syncs
    /// fold into `pair_totals`, so concurrent commits no longer lock the totals of popular pairs.
    /// No index: a fold takes every row, and a repair's lookup by pair is rare.
    static let pairDeltas = RegistryMigration(version: 7, name: "pair deltas", sql: """
        CREATE TABLE {schema}.pair_deltas (
            entity_a  bigint NOT NULL,
            entity_b  bigint NOT NULL,
            count     bigint NOT NULL,
            documents bigint NOT NULL
        );
        """)

    /// Version 8: edges of unknown count. `graph_count` 0 means the graph may hold an edge whose
    /// count is unknown: a sync marks so the pairs it is about to create
    /// (``RegistryStore/markEdgesUncertain(_:)``), and creates their edges with CREATE rather
    /// than MERGE, which ArcadeDB pays for by scanning a popular entity's edges. Pending pairs
    /// without a recorded edge may have been written by an earlier version's sync that stopped
    /// before recording it: they get the marker too, so the next sync merges them.
    static let uncertainEdges = RegistryMigration(version: 8, name: "edges of unknown count", sql: """
        UPDATE {schema}.pair_totals SET graph_count = 0 WHERE pending AND graph_count IS NULL AND count > 0;
        """)

    /// Version 9: a worker's liveness from its PostgreSQL session. A worker that says so
    /// (`liveness_lock`) holds a session-level advisory lock named after its id for as long as
    /// it runs (``RegistryStore/withLivenessLock(workerID:_:)``); the server releases it the
    /// moment the worker's process or session dies. `lease_is_live` is the one test of whether a
    /// document's lease still protects it: not expired, and its holder, when it holds a liveness
    /// lock, still holding it. A holder without one (an older worker) is live until its lease
    /// expires, as before; the lease also still bounds a holder whose session the server has not
    /// yet seen die (a network partition).
    static let livenessLocks = RegistryMigration(version: 9, name: "liveness locks", sql: """
        ALTER TABLE {schema}.workers ADD COLUMN liveness_lock boolean NOT NULL DEFAULT false;
        CREATE FUNCTION {schema}.lease_is_live(p_holder text, p_until timestamptz) RETURNS boolean
        LANGUAGE sql VOLATILE AS $fn$
            SELECT coalesce(p_until > clock_timestamp(), false) AND NOT EXISTS (
                SELECT 1 FROM {schema}.workers w
                WHERE w.id = p_holder AND w.liveness_lock AND NOT EXISTS (
                    SELECT 1 FROM pg_catalog.pg_locks l
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                      AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
                      AND l.classid::bigint = (hashtext('{schema}.workers alive')::bigint & 4294967295)
                      AND l.objid::bigint = (hashtext(p_holder)::bigint & 4294967295)))
        $fn$;
        """)

    /// Version 10: communities of the co-occurrence graph (docs/design.md, "Communities"), as
    /// the graph holds them: each community with its level, parent, the SHA-256 of its member
    /// keys and the properties written to its `__Community__` node; `community_members` maps
    /// each entity to its community on the finest level (level 0). A run compares a fresh
    /// computation with these rows and writes only the difference, graph first.
    static let communities = RegistryMigration(version: 10, name: "communities", sql: """
        CREATE TABLE {schema}.communities (
            id              text PRIMARY KEY,
            level           integer NOT NULL CHECK (level >= 0),
            parent_id       text,
            size            integer NOT NULL CHECK (size > 0),
            members_sha256  text NOT NULL,
            weight          bigint NOT NULL,
            community_rank  bigint NOT NULL,
            title           text NOT NULL,
            summary         text NOT NULL
        );
        CREATE TABLE {schema}.community_members (
            entity_id     bigint PRIMARY KEY,
            community_id  text NOT NULL
        );
        """)

    /// Version 11: reports a language model wrote for communities (`graphingest communities
    /// --load-reports`), each for the member set it was written for: current while a community
    /// with that id and member hash exists, stale once its members changed.
    static let communityReports = RegistryMigration(version: 11, name: "community reports", sql: """
        CREATE TABLE {schema}.community_reports (
            community_id    text PRIMARY KEY,
            members_sha256  text NOT NULL,
            title           text NOT NULL,
            summary         text NOT NULL,
            rank            double precision,
            embedding       jsonb,
            loaded_at       timestamptz NOT NULL DEFAULT now()
        );
        """)

    /// Version 12: where a document or a dead letter came from in a Kafka stream (`consume`): the
    /// topic, partition and offset of the message that last loaded the document, or that could not
    /// be used.
    static let streamLineage = RegistryMigration(version: 12, name: "stream lineage", sql: """
        ALTER TABLE {schema}.documents ADD COLUMN stream_topic text, ADD COLUMN stream_partition integer,
            ADD COLUMN stream_offset bigint;
        ALTER TABLE {schema}.dead_letters ADD COLUMN stream_topic text, ADD COLUMN stream_partition integer,
            ADD COLUMN stream_offset bigint;
        """)

    /// Version 13: what the community step reads instead of the graph, and what tells it which
    /// communities to describe again. `document_chunk_mentions` holds each chunk's entities with
    /// their counts (what its FROM_CHUNK links say), replaced with the document's chunk snapshot;
    /// `community_marks` holds, one row per change, the entities whose chunk links, chunk texts
    /// or documents changed since the last community step (consumed by id in the step's registry
    /// transaction); `communities.passages` the excerpts a summary quotes, one per line (an excerpt
    /// holds no line feed), null until a step computes them. Documents loaded before this
    /// version have no chunk mention rows: they are flagged, and while one is, the step reads
    /// FROM_CHUNK from the graph; loading a document again clears its flag.
    static let communityInputs = RegistryMigration(version: 13, name: "community inputs", sql: """
        CREATE TABLE {schema}.document_chunk_mentions (
            document_id  bigint NOT NULL,
            chunk_index  integer NOT NULL,
            entity_id    bigint NOT NULL,
            count        integer NOT NULL CHECK (count > 0),
            PRIMARY KEY (document_id, chunk_index, entity_id)
        );
        CREATE INDEX document_chunk_mentions_entity ON {schema}.document_chunk_mentions (entity_id);
        CREATE TABLE {schema}.community_marks (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            entity_id  bigint NOT NULL
        );
        ALTER TABLE {schema}.communities ADD COLUMN passages text;
        ALTER TABLE {schema}.documents ADD COLUMN chunk_mentions_missing boolean NOT NULL DEFAULT false;
        UPDATE {schema}.documents d SET chunk_mentions_missing = true
            WHERE EXISTS (SELECT 1 FROM {schema}.document_chunks c WHERE c.document_id = d.id);
        CREATE INDEX documents_chunk_mentions_missing ON {schema}.documents (id) WHERE chunk_mentions_missing;
        """)
}
