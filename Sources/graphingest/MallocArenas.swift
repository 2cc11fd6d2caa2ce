#if canImport(Glibc)
import Glibc
#endif

/// How many malloc arenas the process keeps (glibc).
///
/// glibc gives each thread that contends for the heap an arena of its own (up to eight per core)
/// and returns memory freed in an arena only to that arena. `check` reads its ranges on whatever
/// threads the executor picks, so what one range freed piles up in several arenas and the peak
/// grew with the number of ranges: 76 MB at 10,000 documents, 100 to 123 MB at 100,000
/// (`scripts/bench-check`). With one arena it stays flat (70 and 71 MB, measured with
/// `MALLOC_ARENA_MAX=1`), in the same time: check allocates on one task at a time. Not for
/// `ingest`, whose extraction workers allocate in parallel.
enum MallocArenas {
    /// Limits the process to one arena from now on (arenas made before stay, so it is called
    /// before the command starts any thread); nothing where the C library has no `mallopt`.
    static func useOne() {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not include: looked up
        // by name instead (RTLD_DEFAULT is the null handle).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let arenaMaximum: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaximum, 1)
        #endif
    }
}
