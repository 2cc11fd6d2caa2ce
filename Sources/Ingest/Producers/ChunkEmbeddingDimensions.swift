import GraphStore
import Synchronization

/// The length every `Chunk.embedding` of a load must have: the existing vector index's, or else
/// that of the first embedding the run meets. Shared between the producer that checks chunk lines
/// and the job that makes the vector index after the run.
package final class ChunkEmbeddingDimensions: Sendable {
    /// Where the expected length comes from, for messages.
    private enum Origin: Sendable {
        case index
        case line(Int)
    }

    private let state: Mutex<(dimensions: Int, origin: Origin)?>

    /// - Parameter index: the dimensions of the vector index already in the graph, if any.
    package init(index: Int?) {
        state = Mutex(index.map { (dimensions: $0, origin: .index) })
    }

    /// The expected length, once known.
    package var dimensions: Int? { state.withLock { $0?.dimensions } }

    /// Checks an embedding of `count` numbers met on `line`: nil when it fits (the first one sets
    /// the run's length), else why it does not.
    package func check(_ count: Int, line: Int) -> String? {
        state.withLock { state in
            guard let expected = state else {
                state = (count, .line(line))
                return nil
            }
            guard count != expected.dimensions else { return nil }
            let origin = switch expected.origin {
            case .index: "the vector index \(GraphDialect.chunkEmbeddingIndex)"
            case .line(let first): "the first embedding of the run (line \(first))"
            }
            return "an embedding of \(count) numbers where \(origin) has \(expected.dimensions): embeddings of mixed dimensions cannot share one vector index"
        }
    }
}
