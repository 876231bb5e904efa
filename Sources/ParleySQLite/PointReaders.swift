import GRDB
import Glibc
import Synchronization

/// Read-only connections for point lookups made on the calling thread, one per thread (the
/// server's event loops), so that a read by primary key costs no hop to a reader queue and back.
///
/// A connection is opened on a thread's first lookup; beyond `limit` threads, lookups report
/// that they cannot run here and callers take the asynchronous path. A lookup slower than
/// `slowRead` (the pages came from disk, say) pauses point reads for `pause`: an event loop must
/// not wait on a disk, so until then every read takes the asynchronous path. Each connection is used by
/// its own thread only, so it never waits for another; it reads the latest committed state, as
/// every write is acknowledged only after its commit.
final class PointReaders: Sendable {
    private let path: String
    private let busyTimeoutSeconds: Double
    private let limit: Int
    private let queues = Mutex<[UInt: DatabaseQueue]>([:])
    private let slowRead: Duration
    private let pause: Duration
    /// Nanoseconds (of `clock`) until which point reads are paused.
    private let pausedUntil = Atomic<Int64>(0)
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    /// `busyTimeoutSeconds` is kept short: the caller's thread is an event loop.
    init(path: String, busyTimeoutSeconds: Double = 0.05, limit: Int = 8, slowRead: Duration = .milliseconds(2), pause: Duration = .seconds(1)) {
        self.path = path
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.limit = limit
        self.slowRead = slowRead
        self.pause = pause
        origin = clock.now
    }

    /// Whether point reads are paused after a slow one.
    var isPaused: Bool { nanoseconds(clock.now) < pausedUntil.load(ordering: .relaxed) }

    private func nanoseconds(_ instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = instant - origin
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    /// Runs `body` on this thread's connection; nil when this thread may not have one or the
    /// database could not answer at once (busy, say): the caller then takes the asynchronous
    /// path, which reports such trouble. Errors thrown by `body` itself are rethrown.
    func read<Value>(_ body: (Database) throws -> Value) throws -> Value? {
        guard !isPaused else { return nil }
        do {
            guard let queue = try queueForThisThread() else { return nil }
            let started = clock.now
            defer {
                let finished = clock.now
                if finished - started > slowRead { pausedUntil.store(nanoseconds(finished + pause), ordering: .relaxed) }
            }
            return try queue.read(body)
        } catch is DatabaseError {
            return nil
        }
    }

    private func queueForThisThread() throws -> DatabaseQueue? {
        let thread = UInt(pthread_self())
        if let queue = queues.withLock({ $0[thread] }) { return queue }
        guard queues.withLock({ $0.count }) < limit else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.label = "parley.point-reader"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return queues.withLock { queues in
            guard queues.count < limit || queues[thread] != nil else { return nil }
            if let existing = queues[thread] { return existing }
            queues[thread] = queue
            return queue
        }
    }

    func close() {
        let all = queues.withLock { queues in
            defer { queues.removeAll() }
            return Array(queues.values)
        }
        for queue in all { try? queue.close() }
    }
}
