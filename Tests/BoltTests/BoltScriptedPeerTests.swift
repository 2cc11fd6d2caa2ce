@testable import Bolt
import BoltTestSupport
import NIOCore
import PackStream
import Synchronization
import Testing

/// What no real server here shows, against ``ScriptedBoltPeer``.
@Suite struct BoltScriptedPeerTests {
    static func client(_ uri: String) throws -> BoltClient {
        var configuration = try BoltConfiguration(uri: uri, auth: .basic(user: "neo4j", password: "secret"))
        configuration.initialRetryDelay = .milliseconds(10)
        // Generous: on a loaded 2-core machine one attempt can take seconds, and a retry must
        // still be allowed (the scripted answers, not the clock, decide these tests).
        configuration.maximumRetryTime = .seconds(60)
        configuration.connectTimeout = .seconds(30)
        return BoltClient(configuration: configuration)
    }

    @Test func connectionCutInTheMiddleOfTheRecords() async throws {
        let peer = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN": return [.success(["fields": ["x"], "t_first": 1])]
            case "PULL": return [.record([1]), .record([2]), .close]
            default: return [.success([:])]
            }
        }
        let client = try Self.client("bolt://\(peer.address)")
        await #expect {
            try await client.withSession { session in
                _ = try await session.run("UNWIND range(1, 1000) AS x RETURN x").collect()
            }
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .connectionClosed && error.address == peer.address
        }
        await client.shutdown()
        await peer.stop()
    }

    @Test func transientFailureOnCommitIsRetriedAndTheSecondAttemptCommits() async throws {
        let commits = Mutex(0)
        let peer = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN": return [.success(["fields": [], "qid": 0])]
            case "PULL": return [.success(["has_more": false, "stats": ["nodes-created": 1]])]
            case "COMMIT":
                let attempt = commits.withLock { count in
                    count += 1
                    return count
                }
                return attempt == 1
                    ? [.failure(code: "Neo.TransientError.Transaction.DeadlockDetected", message: "deadlock")]
                    : [.success(["bookmark": "bm:2"])]
            default: return [.success([:])]
            }
        }
        let client = try Self.client("bolt://\(peer.address)")
        let attempts = Mutex(0)
        let (summary, bookmarks) = try await client.withSession { session in
            let summary = try await session.executeWrite { tx in
                attempts.withLock { $0 += 1 }
                return try await tx.execute("CREATE (n)")
            }
            return (summary, session.bookmarks)
        }
        #expect(attempts.withLock { $0 } == 2)
        #expect(summary.counters.nodesCreated == 1)
        #expect(bookmarks == ["bm:2"])
        await client.shutdown()
        #expect(try await peer.waitUntilClosed(1))
        // BEGIN, RUN and PULL went out together; the FAILURE on COMMIT was cleared by RESET (not
        // a ROLLBACK the server would IGNORE) before the retry; shutdown said GOODBYE.
        #expect(peer.requestNames == [
            "HELLO", "LOGON", "BEGIN", "RUN", "PULL", "COMMIT", "RESET", "BEGIN", "RUN", "PULL", "COMMIT", "GOODBYE",
        ])
        await peer.stop()
    }

    @Test func negotiationSettlesOnFourFourWithAuthInHello() async throws {
        let peer = try await ScriptedBoltPeer(version: [0, 0, 4, 4]) { request in
            switch request.name {
            case "RUN": return [.success(["fields": ["x"]])]
            case "PULL": return [.record([7]), .success(["has_more": false])]
            default: return [.success([:])]
            }
        }
        let connection = try await BoltConnection.connect(
            to: BoltAddress(peer.address)!, configuration: try BoltConfiguration(uri: "bolt://\(peer.address)", auth: .basic(user: "u", password: "p")))
        #expect(connection.version == BoltVersion(major: 4, minor: 4))
        #expect(connection.serverAgent == "Scripted/1.0")
        let hello = try #require(peer.requests.first)
        #expect(hello.name == "HELLO")
        #expect(hello.fields.first?["credentials"] == "p" && hello.fields.first?["principal"] == "u")
        #expect(hello.fields.first?["patch_bolt"] == ["utc"])
        #expect(!peer.requestNames.contains("LOGON"))
        await connection.close()

        let refusing = try await ScriptedBoltPeer(version: [0, 0, 0, 0]) { _ in [] }
        await #expect {
            _ = try await BoltConnection.connect(to: BoltAddress(refusing.address)!, configuration: try BoltConfiguration(uri: "bolt://\(refusing.address)"))
        } throws: { error in
            (error as? BoltError)?.code == .unsupportedVersion && "\(error)".contains("4.4")
        }
        await peer.stop()
        await refusing.stop()
    }

    @Test func routingSendsWritesToTheWriterAndRefreshesOnNotALeader() async throws {
        let writes = Mutex<[String]>([])
        let writeScript: @Sendable (String) -> ScriptedBoltPeer.Script = { name in
            { request in
                switch request.name {
                case "RUN":
                    if name == "old" { return [.failure(code: "Neo.ClientError.Cluster.NotALeader", message: "not the leader")] }
                    writes.withLock { $0.append(name) }
                    return [.success(["fields": []])]
                case "PULL": return [.success(["has_more": false])]
                case "COMMIT": return [.success(["bookmark": .string("bm:\(name)")])]
                default: return [.success([:])]
                }
            }
        }
        let oldWriter = try await ScriptedBoltPeer(script: writeScript("old"))
        let newWriter = try await ScriptedBoltPeer(script: writeScript("new"))
        let reader = try await ScriptedBoltPeer(script: writeScript("reader"))
        let routes = Mutex(0)
        let router = try await ScriptedBoltPeer { request in
            guard request.name == "ROUTE" else { return [.success([:])] }
            let count = routes.withLock { count in
                count += 1
                return count
            }
            let writer = count == 1 ? oldWriter.address : newWriter.address
            return [.success(["rt": ["ttl": 300, "db": "graph", "servers": [
                ["addresses": ["127.0.0.1:1"], "role": "ROUTE"],
                ["addresses": [.string(writer)], "role": "WRITE"],
                ["addresses": [.string(reader.address)], "role": "READ"],
            ]]])]
        }
        let client = try Self.client("neo4j://\(router.address)?region=test")
        try await client.withSession(database: "graph") { session in
            try await session.executeWrite { tx in try await tx.execute("CREATE (n)") }
            // A read goes to the reader, and the write after it back to the writer.
            try await session.executeRead { tx in try await tx.execute("MATCH (n) RETURN n") }
            try await session.executeWrite { tx in try await tx.execute("CREATE (n)") }
        }
        #expect(writes.withLock { $0 } == ["new", "reader", "new"])
        #expect(newWriter.requests.filter { $0.name == "BEGIN" }.map { $0.fields.first?["mode"] } == [nil, nil])
        #expect(reader.requests.filter { $0.name == "BEGIN" }.map { $0.fields.first?["mode"] } == ["r"])
        // Bookmarks chain: each BEGIN carries the bookmark of the commit before it.
        #expect(reader.requests.first { $0.name == "BEGIN" }?.fields.first?["bookmarks"] == ["bm:new"])
        #expect(newWriter.requests.last { $0.name == "BEGIN" }?.fields.first?["bookmarks"] == ["bm:reader"])
        #expect(routes.withLock { $0 } == 2)
        let route = try #require(router.requests.first { $0.name == "ROUTE" })
        #expect(route.fields.first?["region"] == "test")
        #expect(route.fields.last?["db"] == "graph")
        #expect(oldWriter.requestNames.contains("RUN"))
        #expect(router.requests.first?.fields.first?["routing"]?["address"] == .string(router.address))
        await client.shutdown()
        for peer in [router, oldWriter, newWriter, reader] { await peer.stop() }
    }

    @Test func demandBecomesPullNAndTheBookmarkChains() async throws {
        let pulls = Mutex(0)
        let peer = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN": return [.success(["fields": ["x"]])]
            case "PULL":
                let n = request.fields.first?["n"]?.intValue ?? 0
                let count = pulls.withLock { count in
                    count += 1
                    return count
                }
                let records = (0..<n).map { ScriptedBoltPeer.Reply.record([.integer(Int64(count) * 100 + $0)]) }
                return records + [count < 3 ? .success(["has_more": true]) : .success(["has_more": false, "bookmark": "bm:auto"])]
            case "DISCARD": return [.success(["has_more": false, "bookmark": "bm:discarded"])]
            default: return [.success([:])]
            }
        }
        var configuration = try BoltConfiguration(uri: "bolt://\(peer.address)")
        configuration.fetchSize = 2
        let client = BoltClient(configuration: configuration)
        try await client.withSession { session in
            let result = try await session.run("UNWIND range(1, 100) AS x RETURN x")
            var seen: [Int64] = []
            for try await record in result {
                seen.append(record["x"]?.intValue ?? -1)
                if seen.count == 3 { break }
            }
            #expect(seen == [100, 101, 200])
            // Only the demand so far went out: two PULLs of 2.
            #expect(peer.requestNames.filter { $0 == "PULL" }.count == 2)
            #expect(peer.requests.filter { $0.name == "PULL" }.allSatisfy { $0.fields.first?["n"] == 2 })
            // The rest is discarded, and the bookmark of the final summary is chained.
            let summary = try await result.consume()
            #expect(summary.bookmark == "bm:discarded")
            #expect(session.bookmarks == ["bm:discarded"])
            let all = try await session.run("RETURN 1").collect()
            #expect(all.count == 2)
        }
        #expect(peer.requestNames.contains("DISCARD"))
        await client.shutdown()
        await peer.stop()
    }

    /// ArcadeDB drops messages over 16 MiB, so the full 20 MB goes to the scripted peer, which
    /// joins the chunks and checks every byte.
    @Test func twentyMegabyteParameterListArrivesIntact() async throws {
        let received = Mutex<(count: Int, bytes: Int, intact: Bool)>((0, 0, false))
        let peer = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN":
                let rows = request.fields[1]["rows"]?.listValue ?? []
                let strings = rows.compactMap(\.stringValue)
                let intact = strings.enumerated().allSatisfy { index, text in
                    text.utf8.count == 10_000 && text.hasPrefix(String(index) + ":")
                }
                received.withLock { $0 = (strings.count, strings.reduce(0) { $0 + $1.utf8.count }, intact) }
                return [.success(["fields": []])]
            default: return [.success(["has_more": false])]
            }
        }
        let rows = (0..<2000).map { index -> String in
            let prefix = String(index) + ":"
            return prefix + String(repeating: "é", count: (10_000 - prefix.utf8.count) / 2) + (prefix.utf8.count % 2 == 1 ? "x" : "")
        }
        #expect(rows.allSatisfy { $0.utf8.count == 10_000 })
        let client = try Self.client("bolt://\(peer.address)")
        try await client.withSession { session in
            try await session.run("UNWIND $rows AS row RETURN count(row)", parameters: ["rows": .rows(rows)]).consume()
        }
        let result = received.withLock { $0 }
        #expect(result.count == 2000 && result.bytes == 20_000_000 && result.intact)
        await client.shutdown()
        await peer.stop()
    }

    @Test func connectionLostBeforeCommitIsRetriedAfterCommitIsOutcomeUnknown() async throws {
        // Connection 1 dies on RUN (before COMMIT): retried on connection 2, which commits.
        let peer = try await ScriptedBoltPeer { request in
            switch (request.name, request.connection) {
            case ("RUN", 1): return [.close]
            case ("RUN", _): return [.success(["fields": []])]
            case ("PULL", _): return [.success(["has_more": false])]
            case ("COMMIT", _): return [.success(["bookmark": "bm:1"])]
            default: return [.success([:])]
            }
        }
        let client = try Self.client("bolt://\(peer.address)")
        let attempts = Mutex(0)
        try await client.withSession { session in
            try await session.executeWrite { tx in
                attempts.withLock { $0 += 1 }
                try await tx.execute("CREATE (n)")
            }
        }
        #expect(attempts.withLock { $0 } == 2)
        #expect(peer.requests.filter { $0.name == "COMMIT" }.map(\.connection) == [2])
        await client.shutdown()
        await peer.stop()

        // Lost after COMMIT went out: outcome unknown, not retried.
        let committing = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN": return [.success(["fields": []])]
            case "PULL": return [.success(["has_more": false])]
            case "COMMIT": return [.close]
            default: return [.success([:])]
            }
        }
        let second = try Self.client("bolt://\(committing.address)")
        let tries = Mutex(0)
        await #expect {
            try await second.withSession { session in
                try await session.executeWrite { tx in
                    tries.withLock { $0 += 1 }
                    try await tx.execute("CREATE (n)")
                }
            }
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .outcomeUnknown && !error.isRetryable
        }
        #expect(tries.withLock { $0 } == 1)
        await second.shutdown()
        await committing.stop()
    }

    @Test func poolLimitQueuesWaitersAndACancelledWaiterLeaves() async throws {
        let peer = try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN": return [.success(["fields": ["x"]])]
            case "PULL": return [.record([1]), .success(["has_more": false])]
            default: return [.success([:])]
            }
        }
        var configuration = try BoltConfiguration(uri: "bolt://\(peer.address)")
        configuration.maximumPoolSize = 1
        let client = BoltClient(configuration: configuration)
        try await client.withSession { holder in
            _ = try await holder.run("RETURN 1").collect()
            // The only connection is taken: a second session waits, and cancelling it ends the wait.
            let waiting = Task {
                try await client.withSession { session in try await session.run("RETURN 1").collect().count }
            }
            try await Task.sleep(for: .milliseconds(100))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { try await waiting.value }
        }
        // Released: the next session reuses the one connection.
        let count = try await client.withSession { session in try await session.run("RETURN 1").collect().count }
        #expect(count == 1)
        #expect(peer.requestNames.filter { $0 == "HELLO" }.count == 1)
        await client.shutdown()
        await peer.stop()
    }

    @Test func responseTimeoutClosesASilentConnection() async throws {
        let peer = try await ScriptedBoltPeer { request in
            request.name == "RUN" ? [] : [.success([:])]  // never answers RUN
        }
        var configuration = try BoltConfiguration(uri: "bolt://\(peer.address)")
        configuration.responseTimeout = .milliseconds(200)
        let client = BoltClient(configuration: configuration)
        let start = ContinuousClock.now
        await #expect {
            try await client.withSession { session in _ = try await session.run("RETURN 1").collect() }
        } throws: { error in
            (error as? BoltError)?.code == .timeout && "\(error)".contains(peer.address)
        }
        // It ends (instead of hanging); the bound is loose because a loaded machine is slow.
        #expect(ContinuousClock.now - start < .seconds(30))
        await client.shutdown()
        await peer.stop()
    }

    /// A peer whose RUN fails for queries containing "bad" and succeeds otherwise.
    static func failingPeer() async throws -> ScriptedBoltPeer {
        try await ScriptedBoltPeer { request in
            switch request.name {
            case "RUN":
                if request.fields.first?.stringValue?.contains("bad") == true {
                    return [.failure(code: "Neo.ClientError.Statement.SyntaxError", message: "bad")]
                }
                return [.success(["fields": ["x"], "qid": 0])]
            case "PULL": return [.record([1]), .success(["has_more": false])]
            case "COMMIT": return [.success(["bookmark": "bm:1"])]
            default: return [.success([:])]
            }
        }
    }

    @Test func failureInATransactionIsResetAndTheNextTransactionUsesTheSameConnection() async throws {
        let peer = try await Self.failingPeer()
        let client = try Self.client("bolt://\(peer.address)")
        try await client.withSession { session in
            await #expect {
                try await session.withTransaction { tx in _ = try await tx.run("bad").collect() }
            } throws: { ($0 as? BoltError)?.serverCode == "Neo.ClientError.Statement.SyntaxError" }
            let records = try await session.withTransaction { tx in try await tx.run("RETURN 1 AS x").collect() }
            #expect(records.count == 1)
        }
        await client.shutdown()
        #expect(try await peer.waitUntilClosed(1))
        #expect(peer.requestNames == [
            "HELLO", "LOGON", "BEGIN", "RUN", "PULL", "RESET", "BEGIN", "RUN", "PULL", "COMMIT", "GOODBYE",
        ])
        #expect(Set(peer.requests.map(\.connection)) == [1])
        await peer.stop()
    }

    @Test func autoCommitFailureIsResetBeforeTheConnectionGoesBackToThePool() async throws {
        let peer = try await Self.failingPeer()
        let client = try Self.client("bolt://\(peer.address)")
        await #expect(throws: BoltError.self) {
            try await client.withSession { session in _ = try await session.run("bad").collect() }
        }
        // The session's end RESET the connection: the next session reuses it with nothing in front.
        let records = try await client.withSession { session in try await session.run("RETURN 1 AS x").collect() }
        #expect(records.count == 1)
        await client.shutdown()
        #expect(try await peer.waitUntilClosed(1))
        #expect(peer.requestNames == ["HELLO", "LOGON", "RUN", "PULL", "RESET", "RUN", "PULL", "GOODBYE"])
        await peer.stop()
    }

    @Test func cancelledTransactionRollsBackAndTheConnectionIsReused() async throws {
        let peer = try await Self.failingPeer()
        let client = try Self.client("bolt://\(peer.address)")
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            try await client.withSession { session in
                try await session.withTransaction { tx in
                    _ = try await tx.run("RETURN 1 AS x").keys()
                    started.continuation.yield()
                    try await Task.sleep(for: .seconds(60))
                }
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let records = try await client.withSession { session in try await session.run("RETURN 1 AS x").collect() }
        #expect(records.count == 1)
        await client.shutdown()
        #expect(try await peer.waitUntilClosed(1))
        #expect(peer.requestNames == ["HELLO", "LOGON", "BEGIN", "RUN", "PULL", "ROLLBACK", "RUN", "PULL", "GOODBYE"])
        await peer.stop()
    }

    @Test func shutdownSaysGoodbyeToIdleConnectionsAndToOnesReturnedLater() async throws {
        let peer = try await Self.failingPeer()
        var configuration = try BoltConfiguration(uri: "bolt://\(peer.address)")
        configuration.maximumPoolSize = 2
        let client = BoltClient(configuration: configuration)
        try await client.withSession { first in
            _ = try await first.run("RETURN 1 AS x").collect()
            try await client.withSession { second in _ = try await second.run("RETURN 1 AS x").collect() }
            // The second connection is idle now; the first one is still in use and failed.
            await #expect(throws: BoltError.self) { try await first.run("bad").collect() }
            await client.shutdown()
            #expect(try await peer.waitUntilClosed(1))
        }
        // The failed connection came back after shutdown: closed with GOODBYE, no RESET first.
        #expect(try await peer.waitUntilClosed(2))
        for connection in [1, 2] {
            let names = peer.requests.filter { $0.connection == connection }.map(\.name)
            #expect(names.last == "GOODBYE" && !names.contains("RESET"), "connection \(connection): \(names)")
        }
        await peer.stop()
    }
}
