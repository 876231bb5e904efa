import Metrics
import NIOPosix
import ParleyStore
import Synchronization

/// Group commit on PostgreSQL: every write runs on one thread of its own, on one connection, and
/// writes that arrive while a commit is in progress share the next transaction (one WAL flush
/// for the batch). A write refused by the rules rolls back alone, in the rules' own savepoint
/// (``StoreRules/attempt(dryRun:audit:errorCode:in:_:)``, optimistic here: see
/// ``PostgresTransaction/savepoint(_:)``); a write that fails otherwise (the
/// connection, the audit insert) fails the whole batch, which is rolled back and answered with
/// that cause: PostgreSQL aborts a transaction after any failed statement, so nothing of the
/// batch could be trusted. A write is answered only after the commit that holds it, and only if
/// the server really committed (a `COMMIT` of an aborted transaction answers `ROLLBACK`).
final class PostgresWriter: Sendable {
    private struct Job: Sendable {
        /// Runs the write inside the batch's transaction; returns its failure, if it failed.
        var run: @Sendable (PostgresTransaction) -> (any Error)?
        var complete: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var flushing = false
    }

    private let connection: BlockingConnection
    private let thread: NIOThreadPool
    private let maximumBatch: Int
    private let state = Mutex(State())

    init(connection: BlockingConnection, maximumBatch: Int = 256) {
        self.connection = connection
        self.maximumBatch = maximumBatch
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
    }

    /// Runs `work` in a write transaction (shared with concurrent writes) and returns its result
    /// once that transaction has committed.
    func submit<Value: Sendable>(_ work: @escaping @Sendable (PostgresTransaction) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let result = Mutex<Result<Value, any Error>?>(nil)
            let job = Job(
                run: { tx in
                    do {
                        let value = try work(tx)
                        result.withLock { $0 = .success(value) }
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
        if start { thread.submit { _ in self.flush() } }
    }

    /// Commits batches until the queue is empty (on the writer thread).
    private func flush() {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            commit(batch)
        }
    }

    /// Commits one batch: runs its jobs in one transaction and answers each after the commit.
    /// A job whose optimistic savepoint had to roll back (``SavepointNeeded``) makes the batch run
    /// again from the start, with that job and every later one in a real savepoint: nothing of the
    /// batch was answered yet, and the earlier jobs do the same again. So a batch usually runs at
    /// most twice, and always ends: each rerun guards at least one more job.
    private func commit(_ batch: [Job]) {
        var guarded: Set<Int> = []
        attempts: while true {
            let tx = PostgresTransaction(connection: connection, state: TransactionState(guardedJobs: guarded))
            do {
                let started = ContinuousClock.now
                try connection.execute("BEGIN")
                for (index, job) in batch.enumerated() {
                    tx.state.job = index
                    guard let failure = job.run(tx) else { continue }
                    if failure is SavepointNeeded {
                        try connection.execute("ROLLBACK")
                        guarded.formUnion(index..<batch.count)
                        Counter(label: "parley_commit_reruns_total").increment()
                        continue attempts
                    }
                    throw StoreError.classify(failure) ?? failure
                }
                try tx.sendPendingWork()
                let outcome = try connection.rows("COMMIT").metadata.command
                guard outcome == "COMMIT" else {
                    throw StoreError.unavailable(.init(reason: "store_io_error", detail: "PostgreSQL answered COMMIT with \(outcome)"))
                }
                Timer(label: "parley_commit_duration_seconds").record(duration: ContinuousClock.now - started)
                Recorder(label: "parley_commit_batch_size").record(batch.count)
                for job in batch { job.complete(nil) }
            } catch {
                // The transaction's fate is unknown to this connection: start the next on a new one.
                connection.reset()
                let reported: any Error = StoreError.classify(error) ?? error
                for job in batch { job.complete(reported) }
            }
            return
        }
    }

    /// Stops the writer thread (after the writes queued so far) and closes its connection.
    func shutdown() async throws {
        try await thread.shutdownGracefully()
        connection.close()
    }
}
