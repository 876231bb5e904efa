import Metrics
import NIOPosix
import ParleyStore
import Synchronization

/// Group commit on PostgreSQL: every write runs on one thread of its own, on one connection, and
/// writes that arrive while a commit is in progress share the next transaction (one WAL flush
/// for the batch), each in its own savepoint so that a failing write rolls back alone. A write
/// is answered only after the commit that holds it.
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
                        try tx.connection.execute("SAVEPOINT job")
                        let value = try work(tx)
                        try tx.connection.execute("RELEASE SAVEPOINT job")
                        result.withLock { $0 = .success(value) }
                        return nil
                    } catch {
                        try? tx.connection.execute("ROLLBACK TO SAVEPOINT job")
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
            let tx = PostgresTransaction(connection: connection)
            var cause: StoreError?
            do {
                let started = ContinuousClock.now
                try connection.execute("BEGIN")
                for job in batch {
                    if let failure = job.run(tx), let store = StoreError.classify(failure) { cause = cause ?? store }
                }
                try connection.execute("COMMIT")
                Timer(label: "parley_commit_duration_seconds").record(duration: ContinuousClock.now - started)
                Recorder(label: "parley_commit_batch_size").record(batch.count)
                for job in batch { job.complete(nil) }
            } catch {
                // The transaction's fate is unknown to this connection: start the next on a new one.
                connection.reset()
                let reported: any Error = cause ?? StoreError.classify(error) ?? error
                for job in batch { job.complete(reported) }
            }
        }
    }

    /// Stops the writer thread (after the writes queued so far) and closes its connection.
    func shutdown() async throws {
        try await thread.shutdownGracefully()
        connection.close()
    }
}
