/// The mentions of one entity inside one chunk: what `(:Entity)-[:FROM_CHUNK {count, offsets}]->(:Chunk)`
/// holds.
public struct ChunkEntityMentions: Sendable, Hashable {
    /// The entity's position in the document's entity list (``ExtractedDocument/entities``, or
    /// the mentions of a load).
    public var entity: Int
    /// How many of the entity's mentions belong to the chunk.
    public var count: Int
    /// The start of each of those mentions in Unicode scalars from the chunk's start, in order.
    public var offsets: [Int]

    /// Makes the mentions of one entity in one chunk.
    public init(entity: Int, count: Int, offsets: [Int]) {
        self.entity = entity
        self.count = count
        self.offsets = offsets
    }
}

/// Which chunk each mention of a document belongs to.
///
/// A mention belongs to exactly one chunk: the one whose own part holds the mention's start. A
/// chunk's own part runs from where the previous chunk ends (its first new sentence, after any
/// overlap) to its end; without overlap that is the whole chunk. So every mention counts once,
/// and a document's MENTIONS count of an entity is the sum of its FROM_CHUNK counts, with or
/// without overlap. A mention that runs past its chunk's end (a name the sentence iterator cut,
/// such as "St. | Louis" in the root locale) stays with the chunk it starts in.
public enum ChunkMentions {
    /// The mentions of each chunk.
    ///
    /// - Parameters:
    ///   - spans: for each entity, its mentions as [start, end) in scalars of the document text.
    ///   - chunks: the chunks' ranges in scalars of the document text, in order.
    /// - Returns: for each chunk, the entities with a mention in it, in entity order.
    public static func assign(spans: [[Range<Int>]], to chunks: [Range<Int>]) -> [[ChunkEntityMentions]] {
        var result = [[ChunkEntityMentions]](repeating: [], count: chunks.count)
        guard !chunks.isEmpty else { return result }
        let ownStarts = ownStarts(of: chunks)
        for (entity, entitySpans) in spans.enumerated() {
            for span in entitySpans {
                let chunk = owner(of: span.lowerBound, ownStarts: ownStarts)
                let offset = span.lowerBound - chunks[chunk].lowerBound
                if let last = result[chunk].last, last.entity == entity {
                    result[chunk][result[chunk].count - 1].count += 1
                    result[chunk][result[chunk].count - 1].offsets.append(offset)
                } else {
                    result[chunk].append(ChunkEntityMentions(entity: entity, count: 1, offsets: [offset]))
                }
            }
        }
        return result
    }

    /// The chunks' own parts, tiling the text from the first chunk's start: part `i` runs from
    /// where chunk `i`'s own part starts to where the next one's starts (the last to its end).
    /// A position belongs to the part that ``assign(spans:to:)`` gives it.
    package static func ownParts(of chunks: [Range<Int>]) -> [Range<Int>] {
        let starts = ownStarts(of: chunks)
        return starts.indices.map { index in
            let end = index + 1 < starts.count ? starts[index + 1] : max(starts[index], chunks[index].upperBound)
            return starts[index]..<max(starts[index], end)
        }
    }

    private static func ownStarts(of chunks: [Range<Int>]) -> [Int] {
        var ownStarts: [Int] = []
        ownStarts.reserveCapacity(chunks.count)
        for (index, chunk) in chunks.enumerated() {
            ownStarts.append(index == 0 ? chunk.lowerBound : max(chunk.lowerBound, chunks[index - 1].upperBound))
        }
        return ownStarts
    }

    /// The last chunk whose own part starts at or before `position` (the first chunk for a
    /// position before every chunk).
    private static func owner(of position: Int, ownStarts: [Int]) -> Int {
        var low = 0
        var high = ownStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if ownStarts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
