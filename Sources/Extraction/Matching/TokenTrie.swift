/// A trie over interned token ids, stored flat.
///
/// Children of the root sit in an array indexed by token id (every match attempt starts there, so
/// it costs one load). While building, deeper edges sit in an open-addressing table keyed by
/// (parent, token); `finish()` turns them into compressed rows (`childStart`, and per edge its
/// token and child, sorted by token), eight bytes an edge, searched by bisection (most nodes have
/// one child). The terms ending at each node are a compressed row too (`termStart`/`terms`), in
/// insertion order, which is gazetteer file order.
///
/// Once built, the trie hands out node references rather than bare node numbers: the number in
/// the low bits, and two flags saying whether terms end at the node and whether it has children.
/// The matcher walks from reference to reference, and only reads a node's rows when its flags
/// say there is something there (most walks end at a one-word term with no children, or at a
/// node with no terms, without touching the rows at all).
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
    /// Built: the children of node n are `childTokens/childNodes[childStart[n]..<childStart[n + 1]]`.
    private var childStart: [Int32] = []
    private var childTokens: [Int32] = []
    private var childNodes: [Int32] = []
    private var finished = false
    /// Built: terms at node n are `terms[termStart[n]..<termStart[n + 1]]` (until
    /// `takeTermOrder`; then the slots themselves are what the gazetteer indexes).
    private var termStart: [Int32] = []
    private var terms: [Int32] = []

    var footprint: Int {
        rootChildren.capacity * 4 + edgeKeys.capacity * 8 + edgeValues.capacity * 4 + termNodes.capacity * 4 + termStart.capacity * 4 + terms.capacity * 4
            + childStart.capacity * 4 + childTokens.capacity * 4 + childNodes.capacity * 4
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
    @inline(__always)
    func child(_ node: Int32, _ token: Int32) -> Int32 {
        if node == 0 {
            return Int(token) < rootChildren.count ? rootChildren[Int(token)] : -1
        }
        if finished {
            let index = Int(node & Self.nodeMask)
            var low = Int(childStart[index])
            var high = Int(childStart[index + 1])
            while low < high {
                let middle = (low + high) / 2
                let candidate = childTokens[middle]
                if candidate == token { return childNodes[middle] }
                if candidate < token { low = middle + 1 } else { high = middle }
            }
            return -1
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

    /// Turns the per-term end nodes into per-node rows of terms (a stable counting sort), so
    /// the terms of a node stay in insertion order.
    mutating func finish() {
        var start = [Int32](repeating: 0, count: nodeCount + 1)
        for node in termNodes { start[Int(node) + 1] += 1 }
        for index in 1..<start.count { start[index] += start[index - 1] }
        var fill = start
        var rows = [Int32](repeating: 0, count: termNodes.count)
        for (term, node) in termNodes.enumerated() {
            rows[Int(fill[Int(node)])] = Int32(term)
            fill[Int(node)] += 1
        }
        termStart = start
        terms = rows
        termNodes = []
        rootChildren = Array(rootChildren)
        finishEdges()
    }

    /// Turns the edge table into rows per parent node, sorted by token.
    private mutating func finishEdges() {
        var counts = [Int32](repeating: 0, count: nodeCount + 1)
        for key in edgeKeys where key != .max {
            counts[Int(key >> 32) + 1] += 1
        }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        var fill = counts
        var tokens = [Int32](repeating: 0, count: edgeCount)
        var nodes = [Int32](repeating: 0, count: edgeCount)
        for (slot, key) in edgeKeys.enumerated() where key != .max {
            let parent = Int(key >> 32)
            let position = Int(fill[parent])
            tokens[position] = Int32(bitPattern: UInt32(truncatingIfNeeded: key))
            nodes[position] = edgeValues[slot]
            fill[parent] += 1
        }
        edgeKeys = []
        edgeValues = []
        for parent in 0..<nodeCount {
            let range = Int(counts[parent])..<Int(counts[parent + 1])
            guard range.count > 1 else { continue }
            let sorted = range.map { (tokens[$0], nodes[$0]) }.sorted { $0.0 < $1.0 }
            for (offset, edge) in sorted.enumerated() {
                tokens[range.lowerBound + offset] = edge.0
                nodes[range.lowerBound + offset] = edge.1
            }
        }
        childStart = counts
        childTokens = tokens
        childNodes = nodes
        finished = true
        precondition(nodeCount <= Int(Self.nodeMask), "trie over 2^29 nodes")
        for index in rootChildren.indices where rootChildren[index] >= 0 {
            rootChildren[index] = reference(rootChildren[index])
        }
        for index in childNodes.indices {
            childNodes[index] = reference(childNodes[index])
        }
    }

    /// The reference of node `node` once built: its number and flags.
    private func reference(_ node: Int32) -> Int32 {
        let index = Int(node)
        var reference = node
        if termStart[index + 1] > termStart[index] { reference |= Self.hasTermsFlag }
        if childStart[index + 1] > childStart[index] { reference |= Self.hasChildrenFlag }
        return reference
    }

    /// The range in `terms` of the terms ending at `node`, a node reference (empty when none).
    @inline(__always)
    func termRange(_ node: Int32) -> Range<Int> {
        let index = Int(node & Self.nodeMask)
        return Int(termStart[index])..<Int(termStart[index + 1])
    }

    /// The term ids of every node's row, row after row, handed over once (the gazetteer then
    /// keeps what it needs of each term in row order, and the rows index those directly).
    mutating func takeTermOrder() -> [Int32] {
        defer { terms = [] }
        return terms
    }
}
