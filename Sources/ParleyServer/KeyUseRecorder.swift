import NIOConcurrencyHelpers
import ParleyModel
import ParleyStore
import ServiceLifecycle

/// Records `last_used_at` for keys at most once per interval per key, off the request path, so
/// that a busy key does not cost a synced write on every `hello`.
///
/// A `Service`: ``noteUse(of:at:)`` queues a due use in a bounded queue (the oldest queued uses
/// give way when it is full) and ``run()`` writes them one at a time. On graceful shutdown the
/// queue takes no more uses, and ``run()`` returns once what was queued is written; it runs before
/// the store in the `ServiceGroup` (``Server/lifecycleServices``), so nothing is written
/// after the store closed. Run it once.
public final class KeyUseRecorder: Service {
    /// A key that was used, and when.
    public typealias Use = (keyID: String, time: Timestamp)

    private let intervalMilliseconds: Int64
    private let record: @Sendable (Use) async throws -> Void
    private let lastRecorded = NIOLockedValueBox<[String: Timestamp]>([:])
    private let queue: AsyncStream<Use>
    private let queueInput: AsyncStream<Use>.Continuation

    /// A recorder writing to `store`.
    public convenience init(store: any ConfigurationStore, intervalMilliseconds: Int64 = 60_000, capacity: Int = 4096) {
        self.init(intervalMilliseconds: intervalMilliseconds, capacity: capacity) { use in
            try await store.recordKeyUse(id: use.keyID, at: use.time)
        }
    }

    /// A recorder that writes a due use with `record`, holding at most `capacity` uses unwritten.
    public init(intervalMilliseconds: Int64 = 60_000, capacity: Int = 4096, record: @escaping @Sendable (Use) async throws -> Void) {
        self.intervalMilliseconds = intervalMilliseconds
        self.record = record
        (queue, queueInput) = AsyncStream.makeStream(of: Use.self, bufferingPolicy: .bufferingNewest(max(1, capacity)))
    }

    /// Notes a use of key `id` at `time`; queues it for writing unless one was queued less than an
    /// interval ago. After graceful shutdown, notes nothing.
    public func noteUse(of id: String, at time: Timestamp = .now()) {
        let due = lastRecorded.withLockedValue { recorded in
            if let previous = recorded[id], time.millisecondsSinceEpoch - previous.millisecondsSinceEpoch < intervalMilliseconds {
                return false
            }
            if recorded.count > 100_000 { recorded.removeAll() }
            recorded[id] = time
            return true
        }
        guard due else { return }
        queueInput.yield((keyID: id, time: time))
    }

    /// Writes the queued uses until graceful shutdown (then the rest of the queue) or cancellation.
    public func run() async {
        await withGracefulShutdownHandler {
            for await use in queue {
                // Bookkeeping: a use that cannot be written now is not worth failing anything for.
                try? await record(use)
            }
        } onGracefulShutdown: { [queueInput] in
            queueInput.finish()
        }
    }
}
