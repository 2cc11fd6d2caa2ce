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
///
/// A run's events reach them through its ``RunTally``; the worker sets `documents_held`, which
/// outlives a run. The retries are counted where they happen, in Registry and GraphStore.
package struct IngestMetrics: Sendable {
    let documentsClaimed: Counter
    let documentsLoaded: Counter
    let documentsFailed: Counter
    let deadLetters: Counter
    let documentRows: Counter
    let entityRows: Counter
    let mentionRows: Counter
    let chunkRows: Counter
    let relationRows: Counter
    let commitBatch: Timer
    let claim: Timer
    let documentsHeld: Gauge

    /// The handles, made by `factory`: the one bootstrapped for the process unless a test
    /// passes its own.
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        func rows(_ kind: String) -> Counter {
            Counter(label: "graphingest_rows_written_total", dimensions: [("kind", kind)], factory: factory)
        }
        documentsClaimed = Counter(label: "graphingest_documents_claimed_total", factory: factory)
        documentsLoaded = Counter(label: "graphingest_documents_loaded_total", factory: factory)
        documentsFailed = Counter(label: "graphingest_documents_failed_total", factory: factory)
        deadLetters = Counter(label: "graphingest_dead_letters_total", factory: factory)
        documentRows = rows("documents")
        entityRows = rows("entities")
        mentionRows = rows("mentions")
        chunkRows = rows("chunks")
        relationRows = rows("relations")
        commitBatch = Timer(label: "graphingest_commit_batch_seconds", factory: factory)
        claim = Timer(label: "graphingest_claim_seconds", factory: factory)
        documentsHeld = Gauge(label: "graphingest_documents_held", factory: factory)
    }
}
