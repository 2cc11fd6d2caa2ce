import Foundation
import Testing
@testable import Registry

/// A throwaway PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port on
/// 127.0.0.1, trust authentication on loopback), for tests that stop the server: the shared
/// server from scripts/services is never stopped.
struct PrivatePostgresCluster {
    let directory: String
    let port: Int

    /// The server binaries, as scripts/services finds them.
    static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        guard let newest = versions.compactMap({ Int($0) }).max() else { return nil }
        let bin = "\(root)/\(newest)/bin"
        return FileManager.default.isExecutableFile(atPath: "\(bin)/initdb") ? bin : nil
    }

    var settings: RegistryConnectionSettings {
        RegistryConnectionSettings(conninfo: "host=127.0.0.1 port=\(port) user=graphingest dbname=postgres connect_timeout=5")
    }

    /// Creates and starts the cluster.
    static func start() throws -> PrivatePostgresCluster {
        let bin = try #require(binaries, "PostgreSQL server binaries not found under /usr/lib/postgresql")
        let output = try shell("""
            set -e
            D=$(mktemp -d /tmp/graphingest-test-pg-XXXXXX)
            as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
            [ "$(id -u)" = 0 ] && chown postgres: "$D"
            as_pg "\(bin)/initdb" -D "$D/data" -U graphingest -A trust -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1 \
                || { cat "$D/initdb.log" >&2; exit 1; }
            P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
            echo "$D $P"
            """)
        let parts = output.split(separator: " ").map(String.init)
        let cluster = PrivatePostgresCluster(directory: parts[0], port: Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines))!)
        try cluster.startServer()
        return cluster
    }

    func startServer() throws {
        let bin = try #require(Self.binaries)
        try Self.shell("""
            as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
            as_pg "\(bin)/pg_ctl" -D "\(directory)/data" -l "\(directory)/postgres.log" -w -t 60 \
                -o "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -c fsync=off" start >/dev/null \
                || { tail -20 "\(directory)/postgres.log" >&2; exit 1; }
            """)
    }

    /// Stops the server the way an operator would (`pg_ctl stop -m fast`): sessions are
    /// terminated and the server goes away.
    /// Stops the server: `fast` ends every session cleanly; `immediate` kills them all at once,
    /// as a crash would (no session can finish its work while others are being ended).
    func stopServer(mode: String = "fast") throws {
        let bin = try #require(Self.binaries)
        try Self.shell("""
            as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
            as_pg "\(bin)/pg_ctl" -D "\(directory)/data" -m \(mode) -w stop >/dev/null
            """)
    }

    /// Stops the server if it runs and deletes the cluster.
    func destroy() {
        try? stopServer()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Whether this machine can run a private cluster: server binaries, and a working
    /// `/dev/null` (initdb needs it as the postgres user).
    static var isAvailable: Bool {
        var info = stat()
        return binaries != nil && stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR
    }

    /// Runs a bash script with its output in temporary files, and returns its stdout.
    ///
    /// `system()` rather than Foundation's `Process`, whose `waitUntilExit` was seen to hang
    /// here once the child had exited; and the script closes every inherited descriptor above 2
    /// first, so that the server it starts holds none of the test process's sockets or pipes.
    @discardableResult
    static func shell(_ script: String) throws -> String {
        let base = NSTemporaryDirectory() + "graphingest-shell-\(UUID().uuidString)"
        let scriptPath = base + ".sh"
        try ("for fd in /proc/$$/fd/*; do n=${fd##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null\n" + script)
            .write(toFile: scriptPath, atomically: false, encoding: .utf8)
        defer {
            for suffix in [".sh", ".out", ".err"] { try? FileManager.default.removeItem(atPath: base + suffix) }
        }
        let status = system("/bin/bash \(scriptPath) </dev/null >\(base).out 2>\(base).err")
        let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw ShellError(status: status, output: err)
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct ShellError: Error, CustomStringConvertible {
        var status: Int32
        var output: String
        var description: String { "shell exited \(status): \(output)" }
    }
}
