import ParleyStore
import PostgresNIO
import Synchronization

/// Consistent reads from the cache across replicas, after Kubernetes' KEP-2340 ("consistent reads
/// from cache"): a read never returns data older than a write acknowledged (on any replica)
/// before the read was sent.
///
/// The rule: a cached read first learns the store's current revision `R`, from a look-up that
/// *started after the read arrived* (reads that arrive while one look-up is in flight share the
/// next one, so a burst of reads costs one round trip, not one each). If the cache has applied the
/// change log up to `R` (``applied``), the read is answered from memory; otherwise it goes to
/// PostgreSQL (and does not fill the cache). The change log is applied by the listener, on every
/// `NOTIFY` of a commit on any replica (PostgresStore+Listener).
///
/// The cost: one shared `SELECT revision` per batch of concurrent reads, and reads that miss the
/// cache for as long as the listener trails the newest commit (usually a few milliseconds).
final class ConsistentReads: Sendable {
    private struct State {
        var lookupRunning = false
        /// Reads waiting for the look-up after the running one.
        var waiting: [CheckedContinuation<Int64, any Error>] = []
        /// The revision up to which the cache reflects the change log, and the log position of that.
        var applied: Int64 = -1
        var appliedSequence: Int64 = 0
    }

    private let state = Mutex(State())

    var applied: (revision: Int64, sequence: Int64) { state.withLock { ($0.applied, $0.appliedSequence) } }

    /// Records that the cache reflects every change up to `revision` (log position `sequence`).
    func noteApplied(revision: Int64, sequence: Int64) {
        state.withLock { state in
            state.applied = max(state.applied, revision)
            state.appliedSequence = max(state.appliedSequence, sequence)
        }
    }

    /// Forgets what was applied (the listener lost its connection): reads bypass the cache until it catches up.
    func reset() {
        state.withLock { $0.applied = -1 }
    }

    /// The store's revision, from a look-up that started after this call; `fetch` runs once per batch.
    func currentRevision(_ fetch: @escaping @Sendable () async throws -> Int64) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append(continuation)
                guard !state.lookupRunning else { return false }
                state.lookupRunning = true
                return true
            }
            if start { Task { await self.runLookups(fetch) } }
        }
    }

    private func runLookups(_ fetch: @escaping @Sendable () async throws -> Int64) async {
        while true {
            let batch = state.withLock { state -> [CheckedContinuation<Int64, any Error>] in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.lookupRunning = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let result = await Result { try await fetch() }
            for waiter in batch { waiter.resume(with: result) }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

extension PostgresStore {
    /// A point read through the cache under the consistent-read rule; `fetch` reads PostgreSQL.
    func cachedRead<Value: Sendable>(
        _ cached: @escaping @Sendable (ReadCache) -> Value?, keep: @escaping @Sendable (ReadCache, Value, UInt64) -> Void,
        fetch: @escaping @Sendable (PostgresClient) async throws -> Value?
    ) async throws -> Value? {
        guard configuration.readCacheCapacity > 0 else { return try await onPool(fetch) }
        let revisions = revisions
        let revision = try await consistency.currentRevision { [self] in
            try await withinRequestTimeout { try await revisions.currentRevision() }
        }
        let caughtUp = consistency.applied.revision >= revision
        if caughtUp, let value = cached(readCache) { return value }
        let generation = readCache.generation
        let value = try await onPool(fetch)
        if caughtUp, let value { keep(readCache, value, generation) }
        return value
    }
}
