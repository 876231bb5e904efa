import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs argon2 work off the event loops on a fixed number of threads with bounded queues, in two
/// lanes so that issuing keys can never starve authentication.
///
/// At most `threads` jobs run at once (each holds about 19 MiB). Verification (`hello`) may use
/// every thread and goes first whenever a thread frees; issuing (`api_keys.create|rotate`) uses
/// at most `threads - 1` of them (one when there is a single thread), so a verification never
/// waits for more than the jobs already running. Each lane has its own queue limit; past it
/// ``submit(_:_:)`` throws ``Saturated`` at once, so a flood can neither exhaust memory nor park
/// unbounded work.
public final class Argon2Pool: Sendable {
    /// Thrown when the lane's queue is full.
    public struct Saturated: Error, Sendable {}

    /// Which budget a job draws on.
    public enum Lane: Sendable {
        /// Checking a presented key (`hello`): every thread, and first in line.
        case verification
        /// Hashing a new key's secret: at most all threads but one.
        case issuing
    }

    /// Sizes of the pool.
    public struct Configuration: Sendable {
        /// Threads running argon2 at once (default: the number of cores).
        public var threads: Int
        /// Verifications allowed to wait for a thread.
        public var queueLimit: Int
        /// Issuing jobs allowed to wait for a thread.
        public var issuingQueueLimit: Int

        public init(threads: Int = System.coreCount, queueLimit: Int = 64, issuingQueueLimit: Int = 8) {
            self.threads = max(1, threads)
            self.queueLimit = max(0, queueLimit)
            self.issuingQueueLimit = max(0, issuingQueueLimit)
        }

        /// Threads issuing may hold at once.
        var issuingThreads: Int { max(1, threads - 1) }
    }

    private struct State {
        var running = 0
        var runningIssuing = 0
        var waitingVerification: CircularBuffer<CheckedContinuation<Void, Never>> = []
        var waitingIssuing: CircularBuffer<CheckedContinuation<Void, Never>> = []
        var depth: Int { running + waitingVerification.count + waitingIssuing.count }
    }

    public let configuration: Configuration
    private let pool: NIOThreadPool
    private let state = NIOLockedValueBox(State())
    private let completed = NIOLockedValueBox(0)

    public init(configuration: Configuration = .init()) {
        Argon2Memory.returnBlocksToTheSystem()
        self.configuration = configuration
        pool = NIOThreadPool(numberOfThreads: configuration.threads)
        pool.start()
    }

    /// Jobs running or waiting now.
    public var depth: Int { state.withLockedValue { $0.depth } }

    /// Jobs finished since start (lets tests prove that no argon2 work ran).
    public var completedCount: Int { completed.withLockedValue { $0 } }

    /// Runs `work` on a pool thread in `lane`, or throws ``Saturated`` when that lane's queue is full.
    public func submit<Result: Sendable>(_ lane: Lane = .verification, _ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        let queued = ContinuousClock.now
        try await acquire(lane)
        defer {
            release(lane)
            completed.withLockedValue { $0 += 1 }
        }
        Timer(label: "parley_argon2_wait_seconds").record(duration: ContinuousClock.now - queued)
        return try await pool.runIfActive { try work() }
    }

    /// Takes a thread for `lane` now, or waits in its queue, or throws when the queue is full.
    private func acquire(_ lane: Lane) async throws {
        enum Decision { case run, wait, refuse }
        let configuration = self.configuration
        let decision = state.withLockedValue { state -> Decision in
            let free = state.running < configuration.threads
            switch lane {
            case .verification:
                if free, state.waitingVerification.isEmpty { return .run }
                return state.waitingVerification.count < configuration.queueLimit ? .wait : .refuse
            case .issuing:
                if free, state.waitingVerification.isEmpty, state.runningIssuing < configuration.issuingThreads { return .run }
                return state.waitingIssuing.count < configuration.issuingQueueLimit ? .wait : .refuse
            }
        }
        switch decision {
        case .refuse:
            Counter(label: "parley_argon2_refused_total").increment()
            throw Saturated()
        case .run:
            state.withLockedValue { state in
                state.running += 1
                if lane == .issuing { state.runningIssuing += 1 }
            }
        case .wait:
            // The slot is handed over by `release` before the continuation resumes.
            await withCheckedContinuation { continuation in
                let runNow = state.withLockedValue { state -> Bool in
                    let free = state.running < configuration.threads
                    let allowed = lane == .verification || state.runningIssuing < configuration.issuingThreads
                    if free, allowed, state.waitingVerification.isEmpty {
                        state.running += 1
                        if lane == .issuing { state.runningIssuing += 1 }
                        return true
                    }
                    if lane == .verification { state.waitingVerification.append(continuation) } else { state.waitingIssuing.append(continuation) }
                    return false
                }
                if runNow { continuation.resume() }
            }
        }
        Gauge(label: "parley_argon2_queue_depth").record(depth)
    }

    /// Frees `lane`'s thread and hands it to the next waiter: verifications first.
    private func release(_ lane: Lane) {
        let configuration = self.configuration
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.running -= 1
            if lane == .issuing { state.runningIssuing -= 1 }
            if let waiter = state.waitingVerification.popFirst() {
                state.running += 1
                return waiter
            }
            if state.runningIssuing < configuration.issuingThreads, let waiter = state.waitingIssuing.popFirst() {
                state.running += 1
                state.runningIssuing += 1
                return waiter
            }
            return nil
        }
        next?.resume()
        Gauge(label: "parley_argon2_queue_depth").record(depth)
    }

    /// Stops the threads after the jobs already queued.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
