/// What a reindex found and did, as `--json` prints it and its run in the registry keeps it.
public struct ReindexSummary: Sendable, Encodable, Equatable {
    public var runID: Int64?
    public var dryRun = false
    /// Documents found that the registry does not hold (or holds as deleted).
    public var new = 0
    /// Documents whose content or extractor fingerprint may differ: by size and time for plain
    /// files (hashing may then find some unchanged: ``unchangedAfterHash``), by SHA-256 for
    /// records; in a dry run, by SHA-256 for both.
    public var changed = 0
    /// Documents left alone: plain files by size and time (never read), records by SHA-256.
    public var unchanged = 0
    /// Registered documents under a scanned folder that are no longer there.
    public var gone = 0
    /// Some sources of each kind (`new`, `changed`, `gone`), for the dry run's plan.
    public var samples: [String: [String]] = [:]
    /// What the ingest pipeline did with the new and changed documents (and the records of the
    /// containers that hold them): read, extracted (never an unchanged one), loaded, found
    /// identical after hashing (its `unchanged`: a touched file, an unchanged record of a
    /// changed container), dead letters, mentions, its co-occurrence and stage seconds.
    public var ingest = IngestSummary()
    /// Gone documents deleted from the graph and tombstoned in the registry.
    public var deleted = 0
    /// Gone documents another worker held: left to it, and deleted by the next reindex.
    public var goneHeldByOthers = 0
    /// Entities whose last MENTIONS went with the documents this run replaced or deleted.
    public var orphansDeleted = 0
    /// CO_OCCURS_WITH edges the sync after the deletions wrote.
    var goneEdgeWrites = CooccurrenceSync.Writes()
    public var seconds = 0.0
    /// Seconds the reindex's own stages took (scan, plan, orphan candidates, pipeline, gone,
    /// orphans); the pipeline's stages are in ``ingest``.
    public var stageSeconds: [String: Double] = [:]

    public init() {}

    /// Windows, pairs and CO_OCCURS_WITH edges (the deletions' edges included).
    public var cooccurrence: CooccurrenceSummary {
        var cooccurrence = ingest.cooccurrence
        cooccurrence.add(goneEdgeWrites)
        return cooccurrence
    }

    /// Seconds each stage was busy: the reindex's and the pipeline's (a stage both have, such as
    /// `plan`, summed).
    public var allStageSeconds: [String: Double] {
        stageSeconds.merging(ingest.stageSeconds, uniquingKeysWith: +)
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", dryRun = "dry_run", new, changed, unchanged, gone, samples
        case documentsRead = "documents_read", documentsExtracted = "documents_extracted", loaded
        case unchangedAfterHash = "unchanged_after_hash", deleted, goneHeldByOthers = "gone_held_by_others", orphansDeleted = "orphans_deleted"
        case deadLetters = "dead_letters", mentions, relationships, cooccurrence, seconds, stageSeconds = "stage_seconds", communities
    }

    /// One flat object, as before the pipeline's figures were embedded: the pipeline's
    /// `read`, `extracted` and `unchanged` under the reindex's names, and only the figures a
    /// reindex reports.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(runID, forKey: .runID)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(new, forKey: .new)
        try container.encode(changed, forKey: .changed)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(gone, forKey: .gone)
        try container.encode(samples, forKey: .samples)
        try container.encode(ingest.read, forKey: .documentsRead)
        try container.encode(ingest.extracted, forKey: .documentsExtracted)
        try container.encode(ingest.loaded, forKey: .loaded)
        try container.encode(ingest.unchanged, forKey: .unchangedAfterHash)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(goneHeldByOthers, forKey: .goneHeldByOthers)
        try container.encode(orphansDeleted, forKey: .orphansDeleted)
        try container.encode(ingest.deadLetters, forKey: .deadLetters)
        try container.encode(ingest.mentions, forKey: .mentions)
        try container.encode(ingest.relationships, forKey: .relationships)
        try container.encode(cooccurrence, forKey: .cooccurrence)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(allStageSeconds, forKey: .stageSeconds)
        try container.encodeIfPresent(ingest.communities, forKey: .communities)
    }

    /// The plan in a line.
    public var planText: String { "\(new) new, \(changed) changed, \(unchanged) unchanged, \(gone) gone" }

    /// Human lines for stderr: the plan with samples for a dry run, what was done otherwise.
    public var lines: [String] {
        if dryRun {
            var lines = ["reindex plan (dry run, nothing changed): \(planText)"]
            for kind in ["new", "changed", "gone"] {
                if let sources = samples[kind], !sources.isEmpty {
                    let count = kind == "new" ? new : kind == "changed" ? changed : gone
                    lines.append("  \(kind): \(sources.joined(separator: ", "))\(count > sources.count ? ", ..." : "")")
                }
            }
            return lines
        }
        return [
            "reindex: \(planText); read \(ingest.read) documents, extracted \(ingest.extracted), loaded \(ingest.loaded), "
                + "\(ingest.unchanged) unchanged after hashing, deleted \(deleted), \(orphansDeleted) orphan entities removed, "
                + "\(ingest.deadLetters) dead letters, \(ingest.mentions) mentions (\(ingest.relationships) MENTIONS), \(cooccurrence.text) in \(formatted(seconds, digits: 2)) s",
        ]
    }
}
