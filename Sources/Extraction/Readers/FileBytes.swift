#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files with POSIX calls into one array (no intermediate Data copy).
enum FileBytes {
    /// The bytes of the file at `path`.
    /// - Throws: `ExtractionError.unreadable` naming the file and the system's reason.
    static func read(_ path: String) throws(ExtractionError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw unreadable(path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw unreadable(path) }
        // Read straight into an array of the file's size (plus room to notice growth): no
        // zero-filling, no intermediate chunks.
        let capacity = Int(info.st_size) + 4096
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while count < buffer.count {
                let read = systemRead(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if read < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                if read == 0 { return }
                count += read
            }
        }
        if failed { throw unreadable(path) }
        if bytes.count == capacity {
            // The file grew while we read it: read the rest too.
            bytes.append(contentsOf: try readRest(descriptor, path))
        }
        return bytes
    }

    private static func readRest(_ descriptor: Int32, _ path: String) throws(ExtractionError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The bytes of a configuration file (gazetteer, rules) without a UTF-8 byte order mark,
    /// which spreadsheet exports often add and which would otherwise hide the first header name.
    static func readText(_ path: String) throws(ExtractionError) -> [UInt8] {
        var bytes = try read(path)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes
    }

    /// The size of the file at `path`, or nil when it cannot be examined.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func unreadable(_ path: String) -> ExtractionError {
        ExtractionError(.unreadable, message: "cannot read: \(String(cString: strerror(errno)))", path: path)
    }

    /// Calls `body` with each line of `bytes` (without the line feed and a trailing carriage
    /// return) and its 1-based number.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws(ExtractionError) -> Void) throws(ExtractionError) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        var number = 1
        while start < bytes.count {
            let found = memchr(base + start, 0x0A, bytes.count - start)
            let end = found.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? bytes.count
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            try body(UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), number)
            number += 1
            start = end + 1
        }
    }
}

@inline(__always)
func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
    #else
    Darwin.read(descriptor, buffer, count)
    #endif
}
