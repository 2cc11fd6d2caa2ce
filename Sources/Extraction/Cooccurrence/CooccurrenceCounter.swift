/// Counts entity pairs per window for one document at a time; reuses its buffers across
/// documents. Not Sendable: one per extraction session.
///
/// A window's entities are the distinct entities with a mention starting in it. A window with
/// two or more, and no more than the cap, adds one to each of its pairs; so a pair counts at
/// most once per window, and a window over the cap adds nothing (counted in the figures). Linear
/// in mentions plus windows, plus the pairs of the windows that add them.
public struct CooccurrenceCounter {
    /// The cap on distinct entities in a window (nil: none).
    public let maximumEntitiesPerWindow: Int?
    private var counts: [UInt64: Int32] = [:]
    private var window: [Int] = []
    private var lastWindowOf: [Int] = []

    public init(maximumEntitiesPerWindow: Int?) {
        self.maximumEntitiesPerWindow = maximumEntitiesPerWindow
    }

    /// The pairs of a document whose windows tile its text (sentences).
    ///
    /// - Parameters:
    ///   - spans: for each entity, its mentions as [start, end) in scalars, sorted.
    ///   - windows: the windows' ranges in scalars, in order; a mention belongs to the window
    ///     that holds its start (a mention before every window to the first, after every window
    ///     to the last).
    /// - Returns: the pairs sorted by `(a, b)`, and what was seen.
    public mutating func count(spans: [[Range<Int>]], windows: [Range<Int>]) -> (pairs: [EntityPairCount], figures: CooccurrenceFigures) {
        var starts: [(start: Int, entity: Int)] = []
        starts.reserveCapacity(spans.reduce(0) { $0 + $1.count })
        for (entity, entitySpans) in spans.enumerated() {
            for span in entitySpans { starts.append((span.lowerBound, entity)) }
        }
        starts.sort { $0.start < $1.start }
        var windowEntities: [[Int]] = []
        windowEntities.reserveCapacity(windows.count)
        var next = 0
        for (index, range) in windows.enumerated() {
            var entities: [Int] = []
            let last = index == windows.count - 1
            while next < starts.count, last || starts[next].start < range.upperBound {
                entities.append(starts[next].entity)
                next += 1
            }
            windowEntities.append(entities)
        }
        return count(windowEntities: windowEntities, entityCount: spans.count)
    }

    /// The pairs of a document given each window's entities (possibly repeated).
    ///
    /// - Parameters:
    ///   - windowEntities: for each window, the positions of the entities mentioned in it.
    ///   - entityCount: the number of entities of the document.
    public mutating func count(windowEntities: [[Int]], entityCount: Int) -> (pairs: [EntityPairCount], figures: CooccurrenceFigures) {
        counts.removeAll(keepingCapacity: true)
        var figures = CooccurrenceFigures()
        figures.windows = windowEntities.count
        if lastWindowOf.count < entityCount {
            lastWindowOf = [Int](repeating: -1, count: entityCount)
        } else {
            for index in 0..<entityCount { lastWindowOf[index] = -1 }
        }
        for (index, entities) in windowEntities.enumerated() where entities.count >= 2 {
            window.removeAll(keepingCapacity: true)
            for entity in entities where lastWindowOf[entity] != index {
                lastWindowOf[entity] = index
                window.append(entity)
            }
            guard window.count >= 2 else { continue }
            if let cap = maximumEntitiesPerWindow, window.count > cap {
                figures.windowsOverCap += 1
                continue
            }
            figures.windowsWithPairs += 1
            figures.pairsCounted += window.count * (window.count - 1) / 2
            window.sort()
            for first in 0..<(window.count - 1) {
                let high = UInt64(window[first]) << 32
                for second in (first + 1)..<window.count {
                    counts[high | UInt64(window[second]), default: 0] += 1
                }
            }
        }
        let pairs = counts.map { key, count in
            EntityPairCount(a: Int(key >> 32), b: Int(key & 0xFFFF_FFFF), count: Int(count))
        }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        return (pairs, figures)
    }
}
