import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's size and modification time from one `stat`: what the cheap reindex check compares
/// with what the registry recorded at the last load. Ingest records these same values, so the
/// two always agree on an untouched file.
struct FileStat: Sendable, Hashable {
    var size: Int64
    var modified: Date

    /// The facts of the file at `path` (links followed), or nil when it cannot be stat'ed.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000)
    }
}
