internal import CICU

/// One worker's chunking state: a sentence and a word break iterator and the buffers they fill,
/// reused across documents. Not Sendable: keep it on one thread or task.
///
/// A text costs one call into C (`gi_sentence_segments`): ICU's sentence iterator walks its
/// UTF-16 once (with the root locale, ASCII sentences are found by the shim instead, with ICU's
/// boundaries: about twice as fast on English), the word iterator walks only the sentences longer than the chunk size, and each
/// boundary comes back in UTF-16 units, scalars and UTF-8 bytes, so a chunk's text is
/// taken straight from the String's UTF-8. Packing sentences into chunks is a pass over the
/// boundaries.
public final class TextChunkerSession {
    /// The settings this session chunks with.
    public let chunker: TextChunker
    private let sentenceBreaker: OpaquePointer
    private let wordBreaker: OpaquePointer
    /// The UTF-16 of the current text, and the segment ends found in it (reused across texts).
    private var units = UTF16Buffer()
    private var boundaries: [gi_boundary] = []
    /// How many of `boundaries` the last text filled.
    private var boundaryCount = 0

    init(_ chunker: TextChunker) throws(ExtractionError) {
        var status: gi_status = 0
        guard let sentences = gi_breaker_open(GI_BREAK_SENTENCE, chunker.locale, &status) else {
            throw ExtractionError(.icu, message: "cannot open a sentence break iterator for locale '\(chunker.locale)': \(String(cString: gi_status_name(status)))")
        }
        guard let words = gi_breaker_open(GI_BREAK_WORD, chunker.locale, &status) else {
            gi_breaker_close(sentences)
            throw ExtractionError(.icu, message: "cannot open a word break iterator for locale '\(chunker.locale)': \(String(cString: gi_status_name(status)))")
        }
        self.chunker = chunker
        sentenceBreaker = sentences
        wordBreaker = words
    }

    deinit {
        gi_breaker_close(sentenceBreaker)
        gi_breaker_close(wordBreaker)
    }

    /// The chunks of `text`, in order, indexed from 0; none for an empty text.
    /// - Throws: `ExtractionError` with code `.icu` when ICU fails.
    public func chunks(of text: String) throws(ExtractionError) -> [TextChunk] {
        var text = text
        return try text.withUTF8 { utf8 in
            units.load(utf8)
            return units.withUnits { units in chunks(utf8: utf8, units: units) }
        }.get()
    }

    /// The sentences of `text` (ICU's sentence breaks, each with the white space that follows
    /// it), as ranges of Unicode scalars that tile the text; none for an empty text. These are
    /// the windows co-occurrence counts in.
    /// - Throws: `ExtractionError` with code `.icu` when ICU fails.
    public func sentences(in text: String) throws(ExtractionError) -> [Range<Int>] {
        var text = text
        return try text.withUTF8 { utf8 in
            units.load(utf8)
            return units.withUnits { units in sentences(units: units) }
        }.get()
    }

    // MARK: Over a text already in UTF-16

    /// The chunks of a text given as its UTF-8 (a String's storage) and its UTF-16 (for ICU), so
    /// that a caller that converted the text already (the extraction session) does not again.
    func chunks(utf8: UnsafeBufferPointer<UInt8>, units: UnsafeBufferPointer<UInt16>) -> Result<[TextChunk], ExtractionError> {
        segment(units, maxScalars: chunker.size).map { count in
            boundaries.withUnsafeBufferPointer { all in
                let ends = UnsafeBufferPointer(rebasing: all[0..<count])
                return Self.pack(ends, size: chunker.size, overlap: chunker.overlap).enumerated().map { index, segments in
                    Self.chunk(index: index, segments: segments, ends: ends, utf8: utf8)
                }
            }
        }
    }

    /// The sentences of the text the last ``chunks(utf8:units:)`` cut: its segments joined
    /// back where a long sentence was cut at a word or hard break, so the same ranges
    /// ``sentences(units:)`` would find, without walking the text again.
    func sentencesOfLastChunkedText() -> [Range<Int>] {
        var sentences: [Range<Int>] = []
        var start = 0
        for index in 0..<boundaryCount {
            let boundary = boundaries[index]
            if boundary.kind == Int32(GI_BOUNDARY_SENTENCE.rawValue) || index == boundaryCount - 1 {
                sentences.append(start..<Int(boundary.scalar))
                start = Int(boundary.scalar)
            }
        }
        return sentences
    }

    /// The sentences of a text given as UTF-16, as ranges of scalars.
    func sentences(units: UnsafeBufferPointer<UInt16>) -> Result<[Range<Int>], ExtractionError> {
        segment(units, maxScalars: 0).map { count in
            var start = 0
            return boundaries[0..<count].map { boundary in
                defer { start = Int(boundary.scalar) }
                return start..<Int(boundary.scalar)
            }
        }
    }

    // MARK: Steps

    /// Finds the segment ends of `units` (sentences, cut to at most `maxScalars` when it is
    /// positive) into `boundaries`; returns their count.
    private func segment(_ units: UnsafeBufferPointer<UInt16>, maxScalars: Int) -> Result<Int, ExtractionError> {
        // Most sentences are longer than 16 units; a text of shorter ones costs a second run.
        var capacity = units.count / 16 + (maxScalars > 0 ? 2 * units.count / maxScalars : 0) + 64
        while true {
            if boundaries.count < capacity {
                boundaries = [gi_boundary](repeating: gi_boundary(), count: capacity)
            }
            var status: gi_status = 0
            let found = boundaries.withUnsafeMutableBufferPointer { out in
                gi_sentence_segments(sentenceBreaker, wordBreaker, units.baseAddress, Int32(units.count), Int32(maxScalars), out.baseAddress, Int32(out.count), &status)
            }
            if gi_status_is_failure(status) != 0 {
                return .failure(ExtractionError(.icu, message: "finding sentences failed: \(String(cString: gi_status_name(status)))"))
            }
            if Int(found) <= boundaries.count {
                boundaryCount = Int(found)
                return .success(Int(found))
            }
            capacity = Int(found)
        }
    }

    /// Packs segments into chunks: each chunk the segments `first..<last` that fit in `size`
    /// scalars (every segment does alone), each next chunk starting after the last one, or with
    /// `overlap`, at the earliest segment that ends it within `overlap` scalars (never before the
    /// previous chunk's second segment, so chunks advance, and late enough for the next new
    /// segment to fit). Linear in the segments without overlap.
    static func pack(_ ends: UnsafeBufferPointer<gi_boundary>, size: Int, overlap: Int) -> [Range<Int>] {
        func start(_ segment: Int) -> Int { segment == 0 ? 0 : Int(ends[segment - 1].scalar) }
        var chunks: [Range<Int>] = []
        var first = 0
        while first < ends.count {
            let from = start(first)
            var last = first + 1
            while last < ends.count && Int(ends[last].scalar) - from <= size {
                last += 1
            }
            chunks.append(first..<last)
            if last == ends.count {
                break
            }
            var next = last
            if overlap > 0 {
                let end = Int(ends[last - 1].scalar)
                while next - 1 > first && end - start(next - 1) <= overlap {
                    next -= 1
                }
                let newEnd = Int(ends[last].scalar)
                while next < last && newEnd - start(next) > size {
                    next += 1
                }
            }
            first = next
        }
        return chunks
    }

    private static func chunk(index: Int, segments: Range<Int>, ends: UnsafeBufferPointer<gi_boundary>, utf8: UnsafeBufferPointer<UInt8>) -> TextChunk {
        let from = segments.lowerBound == 0 ? gi_boundary() : ends[segments.lowerBound - 1]
        let to = ends[segments.upperBound - 1]
        let bytes = UnsafeBufferPointer(rebasing: utf8[Int(from.utf8)..<Int(to.utf8)])
        return TextChunk(
            index: index, start: Int(from.scalar), end: Int(to.scalar),
            text: String(decoding: bytes, as: UTF8.self)
        )
    }
}
