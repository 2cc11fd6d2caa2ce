import ArgumentParser
import Extraction
import Foundation
import Ingest

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract documents, entities and mentions as JSONL; no servers needed.",
        discussion: """
        Writes the interchange JSONL of docs/design.md. The output is the same for the same input \
        whatever --extraction-workers is. A summary goes to stderr (as JSON with --json: on stdout when \
        --out is a file). Exit 0 when every file was read, 1 when some were rejected, 2 on a \
        usage or configuration error (a bad gazetteer line under --on-bad-line fail, a bad rule).
        """
    )
    @OptionGroup var input: CorpusInput
    @OptionGroup var corpus: CorpusArguments
    @Option(help: "Output file, or - for stdout.") var out: String = "-"
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let started = ContinuousClock.now
        let setup: (Extractor, CorpusReader)
        do {
            setup = try corpus.makeExtractor(input)
        } catch {
            printError("graphingest extract: \(error)")
            throw ExitCode(IngestExitCode.usage.rawValue)
        }
        let (extractor, reader) = setup
        let gazetteerSeconds = (ContinuousClock.now - started).seconds
        let cpuStarted = processCPUSeconds()
        for skipped in extractor.gazetteer.skippedLines {
            printError("graphingest extract: skipped gazetteer line \(skipped)")
        }
        let output: FileHandle
        if out == "-" {
            output = FileHandle.standardOutput
        } else {
            // open(2), not FileManager.createFile: that one writes a temporary file and renames it
            // over the path, which replaces a device such as /dev/null with a regular file.
            let descriptor = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                printError("graphingest extract: cannot write \(out): \(String(cString: strerror(errno)))")
                throw ExitCode(IngestExitCode.usage.rawValue)
            }
            output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        let (files, missing) = reader.files()
        var summary = ExtractSummary()
        summary.gazetteerSeconds = gazetteerSeconds
        summary.gazetteerTerms = extractor.gazetteer.termCount
        summary.gazetteerBytes = extractor.gazetteer.footprint
        for rejection in missing {
            summary.reject(rejection)
        }
        var writer = InterchangeWriter()
        // Writes the writer's buffer straight from its storage, then reuses the buffer.
        func flush() throws {
            do {
                try output.write(contentsOf: writer.output)
            } catch {
                printError("graphingest extract: cannot write \(out): \(error.localizedDescription)")
                throw ExitCode(IngestExitCode.usage.rawValue)
            }
            writer.clearOutput()
        }
        try await CorpusExtraction.run(files: files, reader: reader, extractor: extractor, workers: corpus.workerCount) { result in
            for document in result.documents {
                writer.write(document)
                summary.add(document)
            }
            for rejection in result.rejections { summary.reject(rejection) }
            if writer.output.count >= 1 << 20 { try flush() }
        }
        try flush()
        if out != "-" { try output.close() }
        summary.entities = writer.entityCount
        summary.seconds = (ContinuousClock.now - started).seconds
        summary.cpuSeconds = processCPUSeconds() - cpuStarted
        if json {
            summary.fingerprint = extractor.fingerprint
            let text = JSONOutput.text(summary)
            if out == "-" { printError(text) } else { print(text) }
        } else {
            printError(summary.text)
        }
        if summary.rejected > 0 { throw ExitCode(IngestExitCode.finishedWithProblems.rawValue) }
    }
}

/// The extraction options of `extract`, `ingest`, `reindex` and `consume` (record fields, chunks,
/// co-occurrence), with the matching options they share with `context`. Which files to read is
/// ``CorpusInput``'s, which `consume` does not take.
struct CorpusArguments: ParsableArguments {
    @OptionGroup var matching: MatchingArguments
    @Option(help: "The id field of JSONL/CSV records.") var idField: String = "id"
    @Option(help: "The text field of JSONL/CSV records.") var textField: String = "text"
    @Option(help: "Extraction threads (default: all cores).") var extractionWorkers: Int?
    @Option(help: ArgumentHelp(
        "The most code points in a chunk (whole sentences; a longer sentence is cut at word breaks).",
        discussion: "1500 by default: about 250-350 English words, which fits the 512-token window of small embedders."))
    var chunkSize: Int = TextChunker.defaultSize
    @Option(help: "Code points of whole sentences a chunk repeats from the previous one (default 0: chunks tile the text).")
    var chunkOverlap: Int = 0
    @Flag(help: "Do not cut documents into chunks: the graph holds Documents, Entities and MENTIONS only.")
    var noChunks = false
    @Option(help: "The window two entities must share to co-occur: sentence (ICU) or chunk.")
    var cooccurrenceWindow: CooccurrenceOptions.Window = .sentence
    @Option(help: ArgumentHelp(
        "A window with more distinct entities than this adds no co-occurrence pairs (0: no cap).",
        discussion: "\(CooccurrenceOptions.defaultMaximumEntitiesPerWindow) by default: more are lists and tables; see the README."))
    var maxEntitiesPerWindow: Int = CooccurrenceOptions.defaultMaximumEntitiesPerWindow
    @Flag(help: "Count no co-occurrence: the graph gets no CO_OCCURS_WITH edges.")
    var noCooccurrence = false

    var workerCount: Int { extractionWorkers ?? ProcessInfo.processInfo.activeProcessorCount }

    /// Usage errors (exit 2, as every argument error: see `GraphIngestCommand.main`).
    func validate() throws {
        func usage(_ message: String) -> ValidationError { ValidationError(message) }
        if let extractionWorkers, extractionWorkers < 1 { throw usage("--extraction-workers must be at least 1") }
        guard chunkSize >= 1 else { throw usage("--chunk-size must be at least 1 code point") }
        guard chunkOverlap >= 0, chunkOverlap < chunkSize else { throw usage("--chunk-overlap must be at least 0 and less than --chunk-size") }
        guard maxEntitiesPerWindow >= 0 else { throw usage("--max-entities-per-window must be 0 (no cap) or more") }
        if cooccurrenceWindow == .chunk && noChunks && !noCooccurrence {
            throw usage("--cooccurrence-window chunk needs chunks: drop --no-chunks, or count in sentences")
        }
    }

    /// The co-occurrence options, nil with `--no-cooccurrence`.
    var cooccurrence: CooccurrenceOptions? {
        guard !noCooccurrence else { return nil }
        return CooccurrenceOptions(window: cooccurrenceWindow,
                                   maximumEntitiesPerWindow: maxEntitiesPerWindow == 0 ? nil : maxEntitiesPerWindow)
    }

    /// The extractor and reader these arguments describe.
    /// - Throws: `ExtractionError` for a bad gazetteer or rules file, or a missing option.
    func makeExtractor(_ input: CorpusInput) throws -> (Extractor, CorpusReader) {
        guard input.dictionary.gazetteer != nil else { throw DictionaryOptions.missingGazetteer }
        guard !input.paths.isEmpty else { throw ValidationError("give at least one file or folder to read") }
        let chunker = noChunks ? nil : try TextChunker(size: chunkSize, overlap: chunkOverlap, locale: matching.locale)
        let extractor = try matching.makeExtractor(input.dictionary, chunker: chunker, cooccurrence: cooccurrence)
        let reader = CorpusReader(paths: input.paths, options: CorpusReader.Options(
            include: input.include.map(Glob.init), exclude: input.exclude.map(Glob.init), idField: idField, textField: textField,
            maxFileSize: input.maxFileSize.bytes
        ))
        return (extractor, reader)
    }

    /// The extractor of a command that reads no files (`consume`).
    func makeStreamExtractor(_ dictionary: DictionaryOptions) throws -> Extractor {
        guard dictionary.gazetteer != nil else { throw DictionaryOptions.missingGazetteer }
        let chunker = noChunks ? nil : try TextChunker(size: chunkSize, overlap: chunkOverlap, locale: matching.locale)
        return try matching.makeExtractor(dictionary, chunker: chunker, cooccurrence: cooccurrence)
    }
}

/// The figures `extract` reports.
struct ExtractSummary: Encodable {
    var documents = 0
    var bytes = 0
    var mentions = 0
    var entities = 0
    var chunks = 0
    /// Windows and pairs counted; `pairs` the pair lines written (distinct pairs per document).
    var cooccurrence = CooccurrenceFigures()
    var pairs = 0
    var rejected = 0
    var rejections: [String] = []
    var seconds = 0.0
    var gazetteerSeconds = 0.0
    var gazetteerTerms = 0
    var gazetteerBytes = 0
    /// CPU time of all threads after the gazetteer build: reading, extracting and writing.
    var cpuSeconds = 0.0
    var fingerprint = ""

    enum CodingKeys: String, CodingKey {
        case documents, bytes, mentions, entities, chunks, pairs, rejected, rejections, seconds, fingerprint
        case windows, windowsWithPairs = "windows_with_pairs", windowsOverCap = "windows_over_cap", pairsCounted = "pairs_counted"
        case megabytesPerSecond = "mb_per_second", cpuSeconds = "cpu_seconds", megabytesPerCPUSecond = "mb_per_cpu_second"
        case gazetteerTerms = "gazetteer_terms", gazetteerSeconds = "gazetteer_seconds", gazetteerBytes = "gazetteer_bytes"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(documents, forKey: .documents)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(entities, forKey: .entities)
        try container.encode(chunks, forKey: .chunks)
        try container.encode(pairs, forKey: .pairs)
        try container.encode(cooccurrence.windows, forKey: .windows)
        try container.encode(cooccurrence.windowsWithPairs, forKey: .windowsWithPairs)
        try container.encode(cooccurrence.windowsOverCap, forKey: .windowsOverCap)
        try container.encode(cooccurrence.pairsCounted, forKey: .pairsCounted)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(rejections, forKey: .rejections)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(megabytesPerSecond, forKey: .megabytesPerSecond)
        try container.encode(cpuSeconds, forKey: .cpuSeconds)
        try container.encode(megabytesPerCPUSecond, forKey: .megabytesPerCPUSecond)
        try container.encode(gazetteerTerms, forKey: .gazetteerTerms)
        try container.encode(gazetteerSeconds, forKey: .gazetteerSeconds)
        try container.encode(gazetteerBytes, forKey: .gazetteerBytes)
    }

    mutating func add(_ document: ExtractedDocument) {
        documents += 1
        bytes += document.bytes
        mentions += document.mentionCount
        chunks += document.chunks.count
        pairs += document.pairs.count
        cooccurrence.add(document.cooccurrence)
    }

    mutating func reject(_ rejection: SourceRejection) {
        rejected += 1
        rejections.append(rejection.description)
        printError("graphingest extract: rejected \(rejection)")
    }

    /// Throughput of reading, decoding, extracting and writing: the gazetteer build is timed apart.
    var megabytesPerSecond: Double { seconds > gazetteerSeconds ? Double(bytes) / 1_048_576 / (seconds - gazetteerSeconds) : 0 }

    /// The same per second of CPU time: on a shared machine this moves less than wall time, and
    /// on one core it is the throughput per core.
    var megabytesPerCPUSecond: Double { cpuSeconds > 0 ? Double(bytes) / 1_048_576 / cpuSeconds : 0 }

    var text: String {
        "extract: \(documents) documents, \(bytes) bytes, \(mentions) mentions of \(entities) entities, \(rejected) rejected, "
            + String(format: "%.2f s, %.1f MB/s; gazetteer %d terms, %.2f s, %.1f MB", seconds, megabytesPerSecond, gazetteerTerms, gazetteerSeconds, Double(gazetteerBytes) / 1_048_576)
    }
}

/// CPU time (user and system, all threads) the process has used so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)  // an enum in Glibc's headers
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
