import Foundation
import Synchronization
import Testing
@testable import Registry

/// Registry threads are joined, not only counted, before the process may exit.
@Suite struct RegistryThreadsTests {
    /// A thread that has run its body and been waited for is gone from the kernel's task list:
    /// its exit handlers (OpenSSL's per-thread cleanup among them) have run.
    @Test func waitedForThreadsHaveFullyEnded() throws {
        let task = Mutex<String?>(nil)
        RegistryThreads.start(name: "graphingest-test") {
            task.withLock { $0 = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self") }
        }
        // Other suites' connection threads may still run, so this may wait the whole timeout;
        // this thread ends at once, and whatever has ended is joined before the wait returns.
        RegistryThreads.waitForAll(timeout: .seconds(2))
        let path = try #require(task.withLock { $0 }, "the thread's body did not run")
        #expect(path.contains("/task/"))
        #expect(!FileManager.default.fileExists(atPath: "/proc/" + path), "\(path) still exists after the wait")
    }
}
