import CRDKafka
import Dispatch

/// One librdkafka handle and the serial queue every call on it runs on.
///
/// librdkafka's calls block (a poll waits, a commit waits for the broker), so they never run on
/// Swift's cooperative pool: each handle has its own dispatch queue, and callers hop onto it with
/// `await`. The queue also makes the handle's users one at a time, as librdkafka's consumer
/// wants for its poll and rebalance callback.
///
/// @unchecked Sendable: the pointer is only dereferenced inside jobs on `queue`, which run one
/// at a time; `close()` runs there too and clears it.
final class KafkaHandle: @unchecked Sendable {
    private var pointer: OpaquePointer?
    private let queue: DispatchQueue

    /// Makes a consumer or producer with `properties` (librdkafka's names).
    init(consumer: Bool, properties: [KafkaProperty], label: String) throws(KafkaError) {
        var error = [CChar](repeating: 0, count: 512)
        let names = properties.map(\.name)
        let values = properties.map(\.value)
        let made = Self.withCStrings(names) { names in
            Self.withCStrings(values) { values in
                gi_kafka_new(consumer ? 1 : 0, names, values, properties.count, &error, error.count)
            }
        }
        guard let made else {
            throw KafkaError(.configuration, operation: "configure", message: Self.text(error))
        }
        pointer = made
        queue = DispatchQueue(label: label)
    }

    deinit {
        if let pointer { gi_kafka_destroy(pointer) }
    }

    /// Runs `body` with the handle on the handle's queue.
    func run<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (OpaquePointer) throws(KafkaError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
                guard let pointer = self.pointer else {
                    continuation.resume(throwing: KafkaError(.failed, operation: operation, message: "the client is closed"))
                    return
                }
                do throws(KafkaError) {
                    continuation.resume(returning: try body(pointer))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Closes the handle (a consumer leaves its group); later calls fail.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                if let pointer = self.pointer { gi_kafka_destroy(pointer) }
                self.pointer = nil
                continuation.resume()
            }
        }
    }

    /// Calls a C function that returns 0 or an error code and fills an error buffer.
    static func check(_ operation: String, _ call: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(KafkaError) {
        var error = [CChar](repeating: 0, count: 512)
        let code = error.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
        guard code == 0 else { throw KafkaError(kafkaCode: code, operation: operation, message: text(error)) }
    }

    /// A timeout as librdkafka takes it: whole milliseconds, at least 0, at most `Int32.max`.
    static func milliseconds(_ timeout: Duration) -> Int32 {
        Int32(max(0, min(Double(Int32.max), (timeout / .milliseconds(1)).rounded(.up))))
    }

    static func text(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func withCStrings<R, E: Error>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws(E) -> R) throws(E) -> R {
        let duplicates = strings.map { strdup($0) }
        defer { duplicates.forEach { free($0) } }
        let pointers = duplicates.map { UnsafePointer<CChar>($0) } + [nil]
        let result: Result<R, E> = pointers.withUnsafeBufferPointer { buffer in
            do throws(E) {
                return .success(try body(buffer.baseAddress!))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
