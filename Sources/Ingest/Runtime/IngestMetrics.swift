import CoreMetrics

/// The metrics a worker (`ingest`, `reindex`, `load`) emits through swift-metrics; the executable
/// serves them to Prometheus (`--metrics-port`). Without a metrics backend they cost nothing.
///
/// | metric | kind | what |
/// | --- | --- | --- |
/// | `graphingest_documents_claimed_total` | counter | documents claimed from the registry's queue |
/// | `graphingest_documents_loaded_total` | counter | documents written and marked loaded |
/// | `graphingest_documents_failed_total` | counter | documents that failed (extract or load) |
/// | `graphingest_dead_letters_total` | counter | dead letters recorded (unreadable files too) |
/// | `graphingest_rows_written_total{kind}` | counter | graph rows: documents, mentions, chunks, relations |
/// | `graphingest_retries_total{server}` | counter | transactions run again (registry, graph) |
/// | `graphingest_commit_batch_seconds` | histogram | one commit batch (graph and registry) |
/// | `graphingest_claim_seconds` | histogram | one claim from the queue |
/// | `graphingest_documents_held` | gauge | documents this process holds under its lease |
enum IngestMetrics {
    static let documentsClaimed = Counter(label: "graphingest_documents_claimed_total")
    static let documentsLoaded = Counter(label: "graphingest_documents_loaded_total")
    static let documentsFailed = Counter(label: "graphingest_documents_failed_total")
    static let deadLetters = Counter(label: "graphingest_dead_letters_total")
    static let documentRows = Counter(label: "graphingest_rows_written_total", dimensions: [("kind", "documents")])
    static let entityRows = Counter(label: "graphingest_rows_written_total", dimensions: [("kind", "entities")])
    static let mentionRows = Counter(label: "graphingest_rows_written_total", dimensions: [("kind", "mentions")])
    static let chunkRows = Counter(label: "graphingest_rows_written_total", dimensions: [("kind", "chunks")])
    static let relationRows = Counter(label: "graphingest_rows_written_total", dimensions: [("kind", "relations")])
    static let commitBatch = Timer(label: "graphingest_commit_batch_seconds")
    static let claim = Timer(label: "graphingest_claim_seconds")
    static let documentsHeld = Gauge(label: "graphingest_documents_held")
}
