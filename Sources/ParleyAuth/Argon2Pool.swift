import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs argon2 work off the event loops on a fixed number of threads with a bounded queue.
///
/// At most `threads` verifications run at once (each holds about 19 MiB) and at most
/// `queueLimit` wait; past that ``submit(_:)`` throws ``Saturated`` at once, so a flood of
/// bad `hello`s can neither exhaust memory nor park unbounded work.
public final class Argon2Pool: Sendable {
    /// Thrown when the pool and its queue are full.
    public struct Saturated: Error, Sendable {}

    /// Sizes of the pool.
    public struct Configuration: Sendable {
        /// Threads running argon2 at once (default: the number of cores).
        public var threads: Int
        /// Jobs allowed to wait for a thread.
        public var queueLimit: Int

        public init(threads: Int = System.coreCount, queueLimit: Int = 64) {
            self.threads = max(1, threads)
            self.queueLimit = max(0, queueLimit)
        }
    }

    private let pool: NIOThreadPool
    private let capacity: Int
    private let admitted = NIOLockedValueBox(0)
    private let completed = NIOLockedValueBox(0)

    public init(configuration: Configuration = .init()) {
        pool = NIOThreadPool(numberOfThreads: configuration.threads)
        capacity = configuration.threads + configuration.queueLimit
        pool.start()
    }

    /// Jobs running or waiting now.
    public var depth: Int { admitted.withLockedValue { $0 } }

    /// Jobs finished since start (lets tests prove that no argon2 work ran).
    public var completedCount: Int { completed.withLockedValue { $0 } }

    /// Runs `work` on a pool thread, or throws ``Saturated`` when the pool is full.
    public func submit<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        let accepted = admitted.withLockedValue { count -> Int? in
            guard count < capacity else { return nil }
            count += 1
            return count
        }
        guard let depth = accepted else {
            Counter(label: "parley_argon2_refused_total").increment()
            throw Saturated()
        }
        Gauge(label: "parley_argon2_queue_depth").record(depth)
        defer {
            let depth = admitted.withLockedValue { count -> Int in
                count -= 1
                return count
            }
            completed.withLockedValue { $0 += 1 }
            Gauge(label: "parley_argon2_queue_depth").record(depth)
        }
        let queued = ContinuousClock.now
        return try await pool.runIfActive {
            Timer(label: "parley_argon2_wait_seconds").record(duration: ContinuousClock.now - queued)
            return try work()
        }
    }

    /// Stops the threads after the jobs already queued.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
