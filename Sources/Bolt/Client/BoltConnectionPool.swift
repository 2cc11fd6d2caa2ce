import NIOCore

/// Open connections per server, at most `maximumPoolSize` each; callers beyond that wait for a
/// connection to come back.
actor BoltConnectionPool {
    private let configuration: BoltConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private var idle: [BoltAddress: [BoltConnection]] = [:]
    private var open: [BoltAddress: Int] = [:]
    /// Each waiter gets a connection, or nil meaning "a slot is free: open one yourself".
    private var waiters: [BoltAddress: [CheckedContinuation<BoltConnection?, any Error>]] = [:]
    private var isShutDown = false

    init(configuration: BoltConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// A connection to `address`: an idle one, a new one, or the next one released.
    func acquire(_ address: BoltAddress) async throws -> BoltConnection {
        guard !isShutDown else { throw BoltError(.connectionClosed, address: address.description, reason: "client is shut down") }
        while var list = idle[address], let connection = list.popLast() {
            idle[address] = list
            if connection.isOpen { return connection }
            open[address, default: 1] -= 1
        }
        if open[address, default: 0] >= configuration.maximumPoolSize {
            let handed = try await withCheckedThrowingContinuation { continuation in
                waiters[address, default: []].append(continuation)
            }
            if let handed { return handed }
        }
        open[address, default: 0] += 1
        do {
            return try await BoltConnection.connect(to: address, configuration: configuration, eventLoopGroup: eventLoopGroup)
        } catch {
            slotFreed(address)
            throw error
        }
    }

    /// Gives a connection back; a closed one (or any, after shutdown) is dropped.
    func release(_ connection: BoltConnection) {
        let address = connection.address
        guard connection.isOpen, !isShutDown else {
            connection.channel.close(promise: nil)
            slotFreed(address)
            return
        }
        if var list = waiters[address], !list.isEmpty {
            let waiter = list.removeFirst()
            waiters[address] = list
            waiter.resume(returning: connection)
        } else {
            idle[address, default: []].append(connection)
        }
    }

    private func slotFreed(_ address: BoltAddress) {
        open[address, default: 1] -= 1
        if var list = waiters[address], !list.isEmpty {
            let waiter = list.removeFirst()
            waiters[address] = list
            waiter.resume(returning: nil)
        }
    }

    /// Closes idle connections to a server (it left the routing table).
    func drop(_ address: BoltAddress) {
        for connection in idle.removeValue(forKey: address) ?? [] {
            connection.channel.close(promise: nil)
            open[address, default: 1] -= 1
        }
    }

    /// Closes every idle connection and fails every waiter; connections in use close on release.
    func shutdown() async {
        isShutDown = true
        let connections = idle.values.flatMap { $0 }
        idle = [:]
        for (address, list) in waiters {
            for waiter in list {
                waiter.resume(throwing: BoltError(.connectionClosed, address: address.description, reason: "client is shut down"))
            }
        }
        waiters = [:]
        for connection in connections { await connection.close() }
    }
}
