/// What a reindex found and did, as `--json` prints it and its run in the registry keeps it.
public struct ReindexSummary: Sendable, Codable, Equatable {
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
    /// Documents read (files and records) after the scan: only new and changed ones, and the
    /// records of the containers that hold them.
    public var documentsRead = 0
    /// Documents extracted: the new and changed ones, never an unchanged one.
    public var documentsExtracted = 0
    /// Documents written to the graph and marked loaded.
    public var loaded = 0
    /// Read again but found identical (a touched file, an unchanged record of a changed container).
    public var unchangedAfterHash = 0
    /// Gone documents deleted from the graph and tombstoned in the registry.
    public var deleted = 0
    /// Gone documents another worker held: left to it, and deleted by the next reindex.
    public var goneHeldByOthers = 0
    /// Entities whose last MENTIONS went with the documents this run replaced or deleted.
    public var orphansDeleted = 0
    public var deadLetters = 0
    public var mentions = 0
    public var relationships = 0
    /// Windows, pairs and CO_OCCURS_WITH edges (the deletions' edges included).
    public var cooccurrence = CooccurrenceSummary()
    public var seconds = 0.0
    /// Seconds each pipeline stage was busy (scan and plan included).
    public var stageSeconds: [String: Double] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", dryRun = "dry_run", new, changed, unchanged, gone, samples
        case documentsRead = "documents_read", documentsExtracted = "documents_extracted", loaded
        case unchangedAfterHash = "unchanged_after_hash", deleted, goneHeldByOthers = "gone_held_by_others", orphansDeleted = "orphans_deleted"
        case deadLetters = "dead_letters", mentions, relationships, cooccurrence, seconds, stageSeconds = "stage_seconds"
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
            "reindex: \(planText); read \(documentsRead) documents, extracted \(documentsExtracted), loaded \(loaded), "
                + "\(unchangedAfterHash) unchanged after hashing, deleted \(deleted), \(orphansDeleted) orphan entities removed, "
                + "\(deadLetters) dead letters, \(mentions) mentions (\(relationships) MENTIONS), \(cooccurrence.text) in \(formatted(seconds, digits: 2)) s",
        ]
    }
}
