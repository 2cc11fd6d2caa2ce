internal import CICU

extension Gazetteer {
    /// The term rows (trie-row order) whose normalized tokens are those of one of `words`: the
    /// terms a word list speaks of. The words are tokenized in one call per block, as terms are.
    func termRows(named words: [String]) throws(ExtractionError) -> [Int] {
        guard !words.isEmpty, termCount > 0 else { return [] }
        let tokenizer = try TextTokenizer(form: form)
        var rows: [Int] = []
        var block: [UInt16] = []
        var ends: [Int] = []
        func flush() throws(ExtractionError) {
            let found = try block.withUnsafeBufferPointer { units throws(ExtractionError) in try tokenizer.run(units) }
            var next = 0
            var wordStart = 0
            trie.withNodes { nodes in
                for end in ends {
                    var node: Int32 = 0
                    var matched = true
                    var tokens = 0
                    while next < found && Int(tokenizer.rawTokens[next].start) < end {
                        if Int(tokenizer.rawTokens[next].start) >= wordStart && matched {
                            let id = tokenizer.withNormalized(next) { vocabulary.id(of: $0) }
                            let child = id < 0 ? -1 : (node == 0 ? trie.child(0, id) : nodes.child(node, id))
                            if child < 0 { matched = false } else { node = child }
                            tokens += 1
                        }
                        next += 1
                    }
                    if matched && tokens > 0 { rows.append(contentsOf: nodes.termRange(node)) }
                    wordStart = end + 1
                }
            }
            block.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
        for word in words {
            // A word of lowercase ASCII letters is one token and its own normal form under every
            // form: looked up directly, without the tokenizer (most of a dictionary's words).
            if Self.isPlainLowercase(word) {
                let id = Array(word.utf16).withUnsafeBufferPointer { vocabulary.id(of: $0) }
                let node = id < 0 ? -1 : trie.child(0, id)
                if node >= 0 { trie.withNodes { rows.append(contentsOf: $0.termRange(node)) } }
                continue
            }
            block.append(contentsOf: word.utf16)
            ends.append(block.count)
            block.append(0x0A) // a hard word boundary
            if block.count >= 1 << 20 { try flush() }
        }
        try flush()
        return rows
    }

    /// Whether `word` is only the letters a to z.
    static func isPlainLowercase(_ word: String) -> Bool {
        var word = word
        // A loop over the contiguous bytes: a closure per byte was a measurable share of every
        // debug run's start, which checks a dictionary's 100,000 words.
        return word.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                if bytes[index] < UInt8(ascii: "a") || bytes[index] > UInt8(ascii: "z") { return false }
                index += 1
            }
            return index > 0
        }
    }
}
