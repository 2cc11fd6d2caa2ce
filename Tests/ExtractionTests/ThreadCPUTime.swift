#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU time the calling thread spends in `body`, in seconds: what the linear-time tests
/// compare. Wall time would count the time other work held the cores (on a loaded 2-core machine
/// a 10 MB run was once preempted long enough to look 75 times slower than a 1 MB run); a
/// thread's own CPU time grows with the work it does, however busy the machine is. The best of
/// three runs is kept, as a benchmark keeps its fastest sample.
func threadCPUSeconds(_ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    var best = Double.infinity
    for _ in 0..<3 {
        let start = now()
        try body()
        best = min(best, now() - start)
    }
    return best
}
