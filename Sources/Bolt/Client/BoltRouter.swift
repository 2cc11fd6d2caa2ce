import NIOCore
import PackStream

/// The routing tables of a `neo4j://` client, one per database, fetched with ROUTE and kept for
/// their TTL. Writes go to a writer, reads to readers in turn.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#messages-route.
actor BoltRouter {
    struct Table {
        var routers: [BoltAddress]
        var readers: [BoltAddress]
        var writers: [BoltAddress]
        var expires: ContinuousClock.Instant
    }

    private let seed: BoltAddress
    private let routingContext: [String: String]
    private let pool: BoltConnectionPool
    private var tables: [String: Table] = [:]
    private var turn = 0

    init(seed: BoltAddress, routingContext: [String: String], pool: BoltConnectionPool) {
        self.seed = seed
        self.routingContext = routingContext
        self.pool = pool
    }

    /// A server for this access mode and database, refreshing the table when it expired.
    func address(for mode: BoltAccessMode, database: String?, bookmarks: [String]) async throws -> BoltAddress {
        let key = database ?? ""
        if tables[key].map({ $0.expires <= .now || (mode == .write ? $0.writers : $0.readers).isEmpty }) ?? true {
            try await refresh(database: database, bookmarks: bookmarks)
        }
        guard let table = tables[key] else { throw BoltError(.routing, reason: "no routing table") }
        let candidates = mode == .write ? table.writers : table.readers
        guard !candidates.isEmpty else {
            throw BoltError(.routing, reason: "the routing table has no \(mode == .write ? "writer" : "reader")")
        }
        turn &+= 1
        return candidates[turn % candidates.count]
    }

    /// Removes a server from every table (it cannot be reached, or no longer leads) and closes
    /// its idle connections. A table is not fetched again for that alone: only once it has no
    /// server left for the access mode asked (or its TTL ran out), as Neo4j's drivers do
    /// (https://neo4j.com/docs/bolt/current/driver-api/#_routing).
    func forget(_ address: BoltAddress) async {
        for key in tables.keys {
            tables[key]!.routers.removeAll { $0 == address }
            tables[key]!.readers.removeAll { $0 == address }
            tables[key]!.writers.removeAll { $0 == address }
        }
        pool.drop(address)
    }

    /// The table of a database as it stands (nil before the first ROUTE for it).
    func table(database: String?) -> Table? {
        tables[database ?? ""]
    }

    /// Asks the routers (the table's, then the URI's) for a new table.
    func refresh(database: String?, bookmarks: [String]) async throws {
        var routers = tables[database ?? ""]?.routers ?? []
        if !routers.contains(seed) { routers.append(seed) }
        var lastError: (any Error)?
        for router in routers {
            do {
                let connection = try await pool.acquire(router)
                let response: BoltResponse
                do {
                    let future = connection.send(1, startsUnitOfWork: true) { encoder in
                        encoder.route(routing: routingContext, bookmarks: bookmarks, database: database)
                    }[0]
                    response = try await future.get()
                } catch {
                    await pool.release(connection)
                    throw error
                }
                await pool.release(connection)
                tables[database ?? ""] = try Self.table(from: response.metadata)
                return
            } catch {
                lastError = error
            }
        }
        throw BoltError(.routing, address: seed.description, reason: "no router answered ROUTE",
                        underlying: lastError.map { $0 as? BoltError ?? BoltError(.routing, reason: "\($0)") })
    }

    static func table(from metadata: [String: PackStreamValue]) throws -> Table {
        guard let rt = metadata["rt"]?.mapValue, let ttl = rt["ttl"]?.intValue, let servers = rt["servers"]?.listValue else {
            throw BoltError(.routing, reason: "ROUTE answer without rt, ttl or servers")
        }
        var table = Table(routers: [], readers: [], writers: [], expires: .now + .seconds(ttl))
        for server in servers {
            let addresses = server["addresses"]?.listValue?.compactMap { $0.stringValue.flatMap(BoltAddress.init) } ?? []
            switch server["role"]?.stringValue {
            case "ROUTE": table.routers += addresses
            case "READ": table.readers += addresses
            case "WRITE": table.writers += addresses
            default: break
            }
        }
        return table
    }
}
