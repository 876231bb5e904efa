import NIOConcurrencyHelpers
import ParleyModel
import ParleyStore

/// Records `last_used_at` for keys at most once per interval per key, off the request path, so
/// that a busy key does not cost a synced write on every `hello`.
public final class KeyUseRecorder: Sendable {
    private let store: any ConfigurationStore
    private let intervalMilliseconds: Int64
    private let lastRecorded = NIOLockedValueBox<[String: Timestamp]>([:])

    public init(store: any ConfigurationStore, intervalMilliseconds: Int64 = 60_000) {
        self.store = store
        self.intervalMilliseconds = intervalMilliseconds
    }

    /// Notes a use of key `id` at `time`; writes it unless one was written less than an interval ago.
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
        let store = self.store
        Task { try? await store.recordKeyUse(id: id, at: time) }
    }
}
