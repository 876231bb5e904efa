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
/// One look-up runs at a time. Letting a second start while one is in flight (on another
/// connection) would cut a read's wait from one and a half round trips to about one, but measured
/// on two cores shared with PostgreSQL it served 8% fewer reads (21,400 against 23,300/s, three
/// alternating runs of `groups.get` at 32 connections): the look-ups' own cost outweighed it.
/// Tried again once the look-up connection had an event loop of its own (``RevisionReader``):
/// 32,558, 34,804 and 27,230 gets/s with two look-ups in flight against 36,085, 32,884 and
/// 28,878 with one (alternating), so still one.
///
/// The cost: one shared `SELECT revision` per batch of concurrent reads, and reads that miss the
/// cache for as long as the listener trails the newest commit (usually a few milliseconds).
final class ConsistentReads: Sendable {
    private struct State {
        var lookupRunning = false
        /// Reads waiting for the next look-up to start.
        var waiting: [@Sendable (Result<Int64, any Error>) -> Void] = []
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

    /// How the store looks up its revision: calls back with it (on any thread).
    typealias Lookup = @Sendable (_ done: @escaping @Sendable (Result<Int64, any Error>) -> Void) -> Void

    /// The store's revision, from a look-up that started after this call.
    func currentRevision(_ fetch: @escaping Lookup) async throws -> Int64 {
        try await withCheckedThrowingContinuation { continuation in
            whenCurrent(fetch) { continuation.resume(with: $0) }
        }
    }

    /// Calls `ready` with the store's revision from a look-up that started after this call.
    func whenCurrent(_ fetch: @escaping Lookup, _ ready: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        let start = state.withLock { state -> Bool in
            state.waiting.append(ready)
            guard !state.lookupRunning else { return false }
            state.lookupRunning = true
            return true
        }
        if start { runLookup(fetch) }
    }

    /// Runs one look-up for everything waiting now; when it ends, the next for what waits then.
    private func runLookup(_ fetch: @escaping Lookup) {
        let batch = state.withLock { state -> [@Sendable (Result<Int64, any Error>) -> Void] in
            let batch = state.waiting
            state.waiting = []
            if batch.isEmpty { state.lookupRunning = false }
            return batch
        }
        guard !batch.isEmpty else { return }
        fetch { [self] result in
            for waiter in batch { waiter(result) }
            runLookup(fetch)
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

extension PostgresStore: ReadPoints {
    /// A point read through the cache under the consistent-read rule; `fetch` reads PostgreSQL.
    func cachedRead<Value: Sendable>(
        _ cached: @escaping @Sendable (ReadCache) -> Value?, keep: @escaping @Sendable (ReadCache, Value, UInt64) -> Void,
        fetch: @escaping @Sendable (PostgresClient) async throws -> Value?
    ) async throws -> Value? {
        guard configuration.readCacheCapacity > 0 else { return try await onPool(fetch) }
        let revision = try await consistency.currentRevision(revisionLookup)
        let caughtUp = consistency.applied.revision >= revision
        if caughtUp, let value = cached(readCache) { return value }
        let generation = readCache.generation
        let value = try await onPool(fetch)
        if caughtUp, let value { keep(readCache, value, generation) }
        return value
    }

    public func awaitReadPoint(_ ready: @escaping @Sendable (Int64?) -> Void) {
        guard configuration.readCacheCapacity > 0 else { return ready(nil) }
        consistency.whenCurrent(revisionLookup) { ready(try? $0.get()) }
    }

    /// From the cache, once it has applied the change log up to `readPoint`; `.unknown` otherwise
    /// (and without a read point: nothing in memory is known to be current without one).
    func cachedNow<Value: Sendable>(readPoint: Int64?, _ cached: (ReadCache) -> Value?) -> ImmediateLookup<Value> {
        guard let readPoint, consistency.applied.revision >= readPoint, let value = cached(readCache) else { return .unknown }
        return .found(value)
    }

    /// The shared revision look-up (bounded by the request timeout).
    private var revisionLookup: ConsistentReads.Lookup {
        let revisions = revisions
        return { done in revisions.currentRevision(done) }
    }
}
