/// A trie over interned token ids, stored flat.
///
/// Children of the root sit in an array indexed by token id (every match attempt starts there, so
/// it costs one load). While building, deeper edges sit in an open-addressing table keyed by
/// (parent, token), and the node each term ends at in a list by term.
///
/// `finish()` lays every other node out as one record in a single array of Int32, so that a
/// step of a match reads one place in memory (usually one cache line) instead of a row start, a
/// row of tokens, a row of children and a row of terms in arrays of their own. A record is, when
/// terms end at the node: their number, the row index of the first (the terms of a node are
/// consecutive in row order, which keeps gazetteer file order within a node), and the entity of
/// each; then, when the node has children: their number, and a (token, child) pair for each,
/// sorted by token and searched by bisection (most nodes have one child).
///
/// Once built, the trie hands out node references rather than node numbers: the offset of the
/// node's record in the low bits, and two flags saying whether terms end at the node and whether
/// it has children. The matcher walks from reference to reference, and only reads a record when
/// its flags say there is something there.
struct TokenTrie: Sendable {
    /// Set in a node reference when terms end at the node.
    static let hasTermsFlag: Int32 = 1 << 30
    /// Set in a node reference when the node has children.
    static let hasChildrenFlag: Int32 = 1 << 29
    private static let nodeMask: Int32 = (1 << 29) - 1

    /// Whether terms end at the node `reference` refers to.
    @inline(__always)
    static func hasTerms(_ reference: Int32) -> Bool { reference & hasTermsFlag != 0 }

    /// Whether the node `reference` refers to has children.
    @inline(__always)
    static func hasChildren(_ reference: Int32) -> Bool { reference & hasChildrenFlag != 0 }

    private var rootChildren: [Int32] = []
    private var edgeKeys: [UInt64] = [UInt64](repeating: .max, count: 1024)
    private var edgeValues: [Int32] = [Int32](repeating: 0, count: 1024)
    private var edgeCount = 0
    private(set) var nodeCount = 1
    /// Building: the node each term ends at, by term id.
    private var termNodes: [Int32] = []
    private var finished = false
    /// Built: the record of every node but the root (see the type's description).
    private var records: [Int32] = []
    /// Built: the term ids in row order, until `takeTermOrder`.
    private var termOrder: [Int32] = []

    var footprint: Int {
        rootChildren.capacity * 4 + edgeKeys.capacity * 8 + edgeValues.capacity * 4 + termNodes.capacity * 4 + records.capacity * 4
            + termOrder.capacity * 4
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var x = key
        x = (x ^ (x >> 33)) &* 0xff51_afd7_ed55_8ccd
        x = (x ^ (x >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return Int(truncatingIfNeeded: x ^ (x >> 33)) & mask
    }

    /// The child of `node` along `token`, or -1. Once built, `node` and the result are node
    /// references (0 is the root).
    func child(_ node: Int32, _ token: Int32) -> Int32 {
        if node == 0 {
            return Int(token) < rootChildren.count ? rootChildren[Int(token)] : -1
        }
        if finished {
            return withNodes { $0.child(node, token) }
        }
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
        return edgeKeys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var slot = Self.slot(key, mask)
            while true {
                let candidate = keys[slot]
                if candidate == key { return edgeValues[slot] }
                if candidate == .max { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The records of the built trie, read without bounds checks or copies: valid only inside
    /// `withNodes`.
    struct Nodes {
        fileprivate let records: UnsafeBufferPointer<Int32>

        /// The child of node `reference` (not the root) along `token`, or -1.
        @inline(__always)
        func child(_ reference: Int32, _ token: Int32) -> Int32 {
            guard TokenTrie.hasChildren(reference) else { return -1 }
            let pairs = childrenOffset(reference)
            var low = 0
            var high = Int(records[pairs - 1])
            while low < high {
                let middle = (low + high) / 2
                let candidate = records[pairs + 2 * middle]
                if candidate == token { return records[pairs + 2 * middle + 1] }
                if candidate < token { low = middle + 1 } else { high = middle }
            }
            return -1
        }

        /// The row indices of the terms ending at node `reference` (empty when none).
        @inline(__always)
        func termRange(_ reference: Int32) -> Range<Int> {
            guard TokenTrie.hasTerms(reference) else { return 0..<0 }
            let offset = Int(reference & TokenTrie.nodeMask)
            let first = Int(records[offset + 1])
            return first..<first + Int(records[offset])
        }

        /// The entity of the `position`-th term ending at node `reference`.
        @inline(__always)
        func entity(_ reference: Int32, _ position: Int) -> Int32 {
            records[Int(reference & TokenTrie.nodeMask) + 2 + position]
        }

        /// Where the (token, child) pairs of node `reference` start (its child count is just
        /// before).
        @inline(__always)
        private func childrenOffset(_ reference: Int32) -> Int {
            let offset = Int(reference & TokenTrie.nodeMask)
            return TokenTrie.hasTerms(reference) ? offset + 3 + Int(records[offset]) : offset + 1
        }
    }

    /// Calls `body` with the records of the built trie.
    @inline(__always)
    func withNodes<R, E: Error>(_ body: (Nodes) throws(E) -> R) throws(E) -> R {
        try records.withUnsafeBufferPointer { records throws(E) in try body(Nodes(records: records)) }
    }

    /// Adds a path of tokens; returns the node it ends at.
    mutating func insertPath(_ tokens: [Int32]) -> Int32 {
        var node: Int32 = 0
        for token in tokens {
            node = childOrInsert(node, token)
        }
        return node
    }

    /// Records that term `termID` ends at `node` (term ids must come in increasing order).
    mutating func addTerm(at node: Int32, termID: Int32) {
        precondition(Int(termID) == termNodes.count, "terms are added in id order")
        termNodes.append(node)
    }

    private mutating func childOrInsert(_ node: Int32, _ token: Int32) -> Int32 {
        if node == 0 {
            if Int(token) >= rootChildren.count {
                rootChildren.append(contentsOf: repeatElement(-1, count: Int(token) + 1 - rootChildren.count))
            }
            if rootChildren[Int(token)] < 0 {
                rootChildren[Int(token)] = newNode()
            }
            return rootChildren[Int(token)]
        }
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
        var mask = edgeKeys.count - 1
        var slot = Self.slot(key, mask)
        while true {
            let candidate = edgeKeys[slot]
            if candidate == key { return edgeValues[slot] }
            if candidate == .max { break }
            slot = (slot + 1) & mask
        }
        let created = newNode()
        edgeCount += 1
        if edgeCount * 10 > edgeKeys.count * 7 {
            growEdges()
            mask = edgeKeys.count - 1
            slot = Self.slot(key, mask)
            while edgeKeys[slot] != .max { slot = (slot + 1) & mask }
        }
        edgeKeys[slot] = key
        edgeValues[slot] = created
        return created
    }

    private mutating func newNode() -> Int32 {
        nodeCount += 1
        return Int32(nodeCount - 1)
    }

    private mutating func growEdges() {
        var keys = [UInt64](repeating: .max, count: edgeKeys.count * 2)
        var values = [Int32](repeating: 0, count: keys.count)
        let mask = keys.count - 1
        for index in edgeKeys.indices where edgeKeys[index] != .max {
            var slot = Self.slot(edgeKeys[index], mask)
            while keys[slot] != .max { slot = (slot + 1) & mask }
            keys[slot] = edgeKeys[index]
            values[slot] = edgeValues[index]
        }
        edgeKeys = keys
        edgeValues = values
    }

    /// Lays the nodes out as records (see the type's description); `termEntities` gives the
    /// entity of each term id. The terms of a node keep their insertion order.
    mutating func finish(termEntities: [Int32]) {
        let (termStart, terms) = takeTermsByNode()
        let (childStart, childTokens, childNodes) = takeChildrenByParent()
        // Where each record goes, then the references that point at them.
        func termCount(_ node: Int) -> Int { Int(termStart[node + 1] - termStart[node]) }
        func childCount(_ node: Int) -> Int { Int(childStart[node + 1] - childStart[node]) }
        var references = [Int32](repeating: -1, count: nodeCount)
        var size = 0
        for node in 1..<max(1, nodeCount) {
            precondition(size <= Int(Self.nodeMask), "trie records over 2^29 entries")
            var reference = Int32(size)
            if termCount(node) > 0 {
                reference |= Self.hasTermsFlag
                size += 2 + termCount(node)
            }
            if childCount(node) > 0 {
                reference |= Self.hasChildrenFlag
                size += 1 + 2 * childCount(node)
            }
            references[node] = reference
        }
        var records = [Int32](repeating: 0, count: size)
        for node in 1..<max(1, nodeCount) {
            var offset = Int(references[node] & Self.nodeMask)
            if termCount(node) > 0 {
                records[offset] = Int32(termCount(node))
                records[offset + 1] = termStart[node]
                for position in 0..<termCount(node) {
                    records[offset + 2 + position] = termEntities[Int(terms[Int(termStart[node]) + position])]
                }
                offset += 2 + termCount(node)
            }
            if childCount(node) > 0 {
                records[offset] = Int32(childCount(node))
                for position in 0..<childCount(node) {
                    let edge = Int(childStart[node]) + position
                    records[offset + 1 + 2 * position] = childTokens[edge]
                    records[offset + 2 + 2 * position] = references[Int(childNodes[edge])]
                }
            }
        }
        self.records = records
        termOrder = terms
        rootChildren = rootChildren.map { $0 < 0 ? -1 : references[Int($0)] }
        finished = true
    }

    /// The term ids grouped by node, in insertion order within a node (a stable counting sort):
    /// node n's are `terms[termStart[n]..<termStart[n + 1]]`. Empties `termNodes`.
    private mutating func takeTermsByNode() -> (termStart: [Int32], terms: [Int32]) {
        var termStart = [Int32](repeating: 0, count: nodeCount + 1)
        for node in termNodes { termStart[Int(node) + 1] += 1 }
        for index in 1..<termStart.count { termStart[index] += termStart[index - 1] }
        var fill = termStart
        var terms = [Int32](repeating: 0, count: termNodes.count)
        for (term, node) in termNodes.enumerated() {
            terms[Int(fill[Int(node)])] = Int32(term)
            fill[Int(node)] += 1
        }
        termNodes = []
        return (termStart, terms)
    }

    /// The edges grouped by parent and sorted by token within a parent: node n's children are
    /// at `childStart[n]..<childStart[n + 1]` of `childTokens` and `childNodes`. Empties the
    /// edge table.
    private mutating func takeChildrenByParent() -> (childStart: [Int32], childTokens: [Int32], childNodes: [Int32]) {
        var childStart = [Int32](repeating: 0, count: nodeCount + 1)
        for key in edgeKeys where key != .max {
            childStart[Int(key >> 32) + 1] += 1
        }
        for index in 1..<childStart.count { childStart[index] += childStart[index - 1] }
        var fill = childStart
        var childTokens = [Int32](repeating: 0, count: edgeCount)
        var childNodes = [Int32](repeating: 0, count: edgeCount)
        for (slot, key) in edgeKeys.enumerated() where key != .max {
            let parent = Int(key >> 32)
            let position = Int(fill[parent])
            childTokens[position] = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
            childNodes[position] = edgeValues[slot]
            fill[parent] += 1
        }
        edgeKeys = []
        edgeValues = []
        for parent in 0..<nodeCount {
            let range = Int(childStart[parent])..<Int(childStart[parent + 1])
            guard range.count > 1 else { continue }
            let sorted = range.map { (childTokens[$0], childNodes[$0]) }.sorted { $0.0 < $1.0 }
            for (offset, edge) in sorted.enumerated() {
                childTokens[range.lowerBound + offset] = edge.0
                childNodes[range.lowerBound + offset] = edge.1
            }
        }
        return (childStart, childTokens, childNodes)
    }

    /// The term ids in row order, handed over once (the gazetteer then keeps what it needs of
    /// each term in row order, and `Nodes.termRange` indexes those directly).
    mutating func takeTermOrder() -> [Int32] {
        defer { termOrder = [] }
        return termOrder
    }
}
