import NIOCore
import Synchronization

/// Open connections per server, at most `maximumPoolSize` each; callers beyond that wait for a
/// connection to come back, and a cancelled waiter leaves the queue at once.
final class BoltConnectionPool: Sendable {
    /// What a caller gets: a connection, or leave to open one itself (a slot was reserved).
    private enum Grant: Sendable {
        case connection(BoltConnection)
        case open
    }

    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Grant, any Error>
    }

    private struct State {
        var idle: [BoltAddress: [BoltConnection]] = [:]
        var open: [BoltAddress: Int] = [:]
        var waiters: [BoltAddress: [Waiter]] = [:]
        var nextWaiter = 0
        var isShutDown = false

        /// An idle open connection, or a reserved slot; nil when the caller must wait.
        mutating func grant(_ address: BoltAddress, maximum: Int, closing: inout [BoltConnection]) -> Grant? {
            while var list = idle[address], let connection = list.popLast() {
                idle[address] = list
                if connection.isOpen { return .connection(connection) }
                open[address, default: 1] -= 1
                closing.append(connection)
            }
            guard open[address, default: 0] < maximum else { return nil }
            open[address, default: 0] += 1
            return .open
        }

        /// A slot freed up: the first waiter may open a connection.
        mutating func slotFreed(_ address: BoltAddress) {
            open[address, default: 1] -= 1
            if var list = waiters[address], !list.isEmpty {
                let waiter = list.removeFirst()
                waiters[address] = list
                open[address, default: 0] += 1
                waiter.continuation.resume(returning: .open)
            }
        }
    }

    private let configuration: BoltConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let state = Mutex(State())

    init(configuration: BoltConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    private func shutDownError(_ address: BoltAddress) -> BoltError {
        BoltError(.connectionClosed, address: address.description, reason: "client is shut down")
    }

    /// A connection to `address`: an idle one, a new one, or the next one released.
    func acquire(_ address: BoltAddress) async throws -> BoltConnection {
        let maximum = configuration.maximumPoolSize
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let grant: Grant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                var closing: [BoltConnection] = []
                state.withLock { state in
                    if state.isShutDown {
                        continuation.resume(throwing: shutDownError(address))
                    } else if let grant = state.grant(address, maximum: maximum, closing: &closing) {
                        continuation.resume(returning: grant)
                    } else if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        state.waiters[address, default: []].append(Waiter(id: id, continuation: continuation))
                    }
                }
                // Found closed while idle: nothing to say GOODBYE to, only the channel to free.
                for connection in closing { connection.channel.close(promise: nil) }
            }
        } onCancel: {
            state.withLock { state in
                guard var list = state.waiters[address], let index = list.firstIndex(where: { $0.id == id }) else { return }
                let waiter = list.remove(at: index)
                state.waiters[address] = list
                waiter.continuation.resume(throwing: CancellationError())
            }
        }
        switch grant {
        case .connection(let connection):
            return connection
        case .open:
            do {
                return try await BoltConnection.connect(to: address, configuration: configuration, eventLoopGroup: eventLoopGroup)
            } catch {
                state.withLock { $0.slotFreed(address) }
                throw error
            }
        }
    }

    /// Gives a connection back. One that failed or still owes answers is RESET first (as Neo4j's
    /// drivers do), so the next user finds it clean; one that cannot be reset, or any after
    /// shutdown, is closed (GOODBYE first while it is usable).
    func release(_ connection: BoltConnection) async {
        var reusable = connection.isOpen && !state.withLock { $0.isShutDown }
        if reusable {
            do { try await connection.prepareForReuse() } catch { reusable = false }
        }
        let address = connection.address
        let keep = state.withLock { state -> Bool in
            guard reusable, connection.isOpen, !state.isShutDown else {
                state.slotFreed(address)
                return false
            }
            if var list = state.waiters[address], !list.isEmpty {
                let waiter = list.removeFirst()
                state.waiters[address] = list
                waiter.continuation.resume(returning: .connection(connection))
            } else {
                state.idle[address, default: []].append(connection)
            }
            return true
        }
        if !keep { await connection.close() }
    }

    /// Closes idle connections to a server (it left the routing table), GOODBYE first.
    func drop(_ address: BoltAddress) {
        let connections = state.withLock { state in
            let connections = state.idle.removeValue(forKey: address) ?? []
            state.open[address, default: connections.count] -= connections.count
            return connections
        }
        for connection in connections { connection.channel.close(promise: nil) }
    }

    /// Closes every idle connection (GOODBYE first) and fails every waiter; connections in use
    /// close when they come back.
    func shutdown() async {
        let connections = state.withLock { state in
            state.isShutDown = true
            for (address, list) in state.waiters {
                for waiter in list { waiter.continuation.resume(throwing: shutDownError(address)) }
            }
            state.waiters = [:]
            defer { state.idle = [:] }
            return state.idle.values.flatMap { $0 }
        }
        for connection in connections { await connection.close() }
    }
}
