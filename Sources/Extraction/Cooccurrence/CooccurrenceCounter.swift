/// Counts entity pairs per window for one document at a time; reuses its buffers across
/// documents. Not Sendable: one per extraction session.
///
/// A window's entities are the distinct entities with a mention starting in it. A window with
/// two or more, and no more than the cap, adds one to each of its pairs; so a pair counts at
/// most once per window, and a window over the cap adds nothing (counted in the figures).
///
/// Two entities found at the same span (an ambiguous name: "Paris" the city and "Paris" the
/// town in Texas, with `--ambiguous all`) are alternative readings of one mention, not two
/// things named together: they pair in a window only when the window names them at different
/// spans too. Linear in mentions plus windows, plus the pairs of the windows that add them.
package struct CooccurrenceCounter {
    /// The cap on distinct entities in a window (nil: none).
    package let maximumEntitiesPerWindow: Int?
    private var counts: [UInt64: Int32] = [:]
    private var window: [Int] = []
    private var lastWindowOf: [Int] = []
    /// An entity's only span in the current window; nil once it has two.
    private var onlySpanOf: [Range<Int>?] = []

    package init(maximumEntitiesPerWindow: Int?) {
        self.maximumEntitiesPerWindow = maximumEntitiesPerWindow
    }

    /// The pairs of a document whose windows tile its text (sentences, or chunks' own parts).
    ///
    /// - Parameters:
    ///   - spans: for each entity, its mentions as [start, end) in scalars, sorted.
    ///   - windows: the windows' ranges in scalars, in order; a mention belongs to the window
    ///     that holds its start (a mention before every window to the first, after every window
    ///     to the last).
    /// - Returns: the pairs sorted by `(a, b)`, and what was seen.
    package mutating func count(spans: [[Range<Int>]], windows: [Range<Int>]) -> (pairs: [EntityPairCount], figures: CooccurrenceFigures) {
        var mentions: [WindowMention] = []
        mentions.reserveCapacity(spans.reduce(0) { $0 + $1.count })
        for (entity, entitySpans) in spans.enumerated() {
            for span in entitySpans { mentions.append(WindowMention(entity: entity, span: span)) }
        }
        mentions.sort { ($0.span.lowerBound, $0.entity) < ($1.span.lowerBound, $1.entity) }
        var windowMentions: [[WindowMention]] = []
        windowMentions.reserveCapacity(windows.count)
        var next = 0
        for (index, range) in windows.enumerated() {
            var inWindow: [WindowMention] = []
            let last = index == windows.count - 1
            while next < mentions.count, last || mentions[next].span.lowerBound < range.upperBound {
                inWindow.append(mentions[next])
                next += 1
            }
            windowMentions.append(inWindow)
        }
        return count(windowMentions: windowMentions, entityCount: spans.count)
    }

    /// The pairs of a document given each window's mentions.
    ///
    /// - Parameters:
    ///   - windowMentions: for each window, the mentions that start in it (an entity's mentions
    ///     have distinct spans).
    ///   - entityCount: the number of entities of the document.
    package mutating func count(windowMentions: [[WindowMention]], entityCount: Int) -> (pairs: [EntityPairCount], figures: CooccurrenceFigures) {
        counts.removeAll(keepingCapacity: true)
        var figures = CooccurrenceFigures()
        figures.windows = windowMentions.count
        if lastWindowOf.count < entityCount {
            lastWindowOf = [Int](repeating: -1, count: entityCount)
            onlySpanOf = [Range<Int>?](repeating: nil, count: entityCount)
        } else {
            for index in 0..<entityCount { lastWindowOf[index] = -1 }
        }
        for (index, mentions) in windowMentions.enumerated() where mentions.count >= 2 {
            window.removeAll(keepingCapacity: true)
            for mention in mentions {
                if lastWindowOf[mention.entity] != index {
                    lastWindowOf[mention.entity] = index
                    onlySpanOf[mention.entity] = mention.span
                    window.append(mention.entity)
                } else {
                    onlySpanOf[mention.entity] = nil
                }
            }
            guard window.count >= 2 else { continue }
            if let cap = maximumEntitiesPerWindow, window.count > cap {
                figures.windowsOverCap += 1
                continue
            }
            window.sort()
            var added = 0
            for first in 0..<(window.count - 1) {
                let a = window[first]
                let high = UInt64(a) << 32
                for second in (first + 1)..<window.count {
                    let b = window[second]
                    if let span = onlySpanOf[a], span == onlySpanOf[b] { continue }
                    counts[high | UInt64(b), default: 0] += 1
                    added += 1
                }
            }
            if added > 0 {
                figures.windowsWithPairs += 1
                figures.pairsCounted += added
            }
        }
        let pairs = counts.map { key, count in
            EntityPairCount(a: Int(key >> 32), b: Int(key & 0xFFFF_FFFF), count: Int(count))
        }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        return (pairs, figures)
    }
}

/// One mention as the counter sees it: the entity's position in the document and its span.
package struct WindowMention: Sendable, Hashable {
    package var entity: Int
    package var span: Range<Int>

    package init(entity: Int, span: Range<Int>) {
        self.entity = entity
        self.span = span
    }
}
