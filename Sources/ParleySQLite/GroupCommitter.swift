import GRDB
import Metrics
import ParleyStore
import Synchronization

/// Group commit: writes that arrive while a commit is in progress wait and then share the next
/// transaction, so one fsync makes a whole batch durable. Each write runs in its own savepoint
/// (a failing write rolls back alone) and is answered only after the commit that holds it.
/// With grouping off, every write is its own transaction.
final class GroupCommitter: Sendable {
    /// One write waiting for a transaction: run it inside the batch, then report after the commit.
    private struct Job: Sendable {
        /// Runs the write in the batch's transaction; returns its failure, if it failed.
        var run: @Sendable (Database) -> (any Error)?
        var complete: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var flushing = false
    }

    private let pool: DatabasePool
    private let grouping: Bool
    private let maximumBatch: Int
    private let state = Mutex(State())
    private let commits = Atomic<Int>(0)
    private let writes = Atomic<Int>(0)
    private let largest = Atomic<Int>(0)

    /// Commits made, writes they carried, and the largest batch, since the store opened.
    var statistics: CommitStatistics {
        CommitStatistics(commits: commits.load(ordering: .relaxed), writes: writes.load(ordering: .relaxed), largestBatch: largest.load(ordering: .relaxed))
    }

    init(pool: DatabasePool, grouping: Bool, maximumBatch: Int = 256) {
        self.pool = pool
        self.grouping = grouping
        self.maximumBatch = maximumBatch
    }

    /// Runs `work` inside a write transaction (shared with concurrent writes when grouping) and
    /// returns its result once that transaction has committed.
    func submit<Value: Sendable>(_ work: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        guard grouping else {
            let value = try await pool.writeWithoutTransaction { db in
                var value: Value?
                try db.inTransaction(.immediate) {
                    value = try work(db)
                    return .commit
                }
                return value!
            }
            commits.add(1, ordering: .relaxed)
            writes.add(1, ordering: .relaxed)
            largest.max(1, ordering: .relaxed)
            return value
        }
        return try await withCheckedThrowingContinuation { continuation in
            let result = Mutex<Result<Value, any Error>?>(nil)
            let job = Job(
                run: { db in
                    do {
                        var value: Value?
                        try db.withSavepoint("job") {
                            value = try work(db)
                            return .commit
                        }
                        result.withLock { $0 = .success(value!) }
                        return nil
                    } catch {
                        result.withLock { $0 = .failure(error) }
                        return error
                    }
                },
                complete: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: result.withLock { $0 }!)
                    }
                })
            enqueue(job)
        }
    }

    private func enqueue(_ job: Job) {
        let start = state.withLock { state -> Bool in
            state.queue.append(job)
            guard !state.flushing else { return false }
            state.flushing = true
            return true
        }
        if start { Task { await flush() } }
    }

    /// Commits batches until the queue is empty.
    private func flush() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            // The first store failure (a full disk, say) of a job in the batch: when the commit
            // fails after it, every job of the batch is answered with that cause.
            let cause = Mutex<StoreError?>(nil)
            do {
                let started = ContinuousClock.now
                try await pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        for job in batch {
                            if let failure = job.run(db), let store = StoreError.classify(failure) {
                                cause.withLock { $0 = $0 ?? store }
                            }
                        }
                        return .commit
                    }
                }
                Timer(label: "parley_commit_duration_seconds").record(duration: ContinuousClock.now - started)
                Recorder(label: "parley_commit_batch_size").record(batch.count)
                commits.add(1, ordering: .relaxed)
                writes.add(batch.count, ordering: .relaxed)
                largest.max(batch.count, ordering: .relaxed)
                for job in batch { job.complete(nil) }
            } catch {
                let error: any Error = cause.withLock { $0 } ?? StoreError.classify(error) ?? error
                for job in batch { job.complete(error) }
            }
        }
    }
}

/// How writes were grouped into commits.
public struct CommitStatistics: Sendable, Hashable {
    public var commits: Int
    public var writes: Int
    public var largestBatch: Int
}
