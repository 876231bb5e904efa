import NIOConcurrencyHelpers

/// Counts the argon2-costly operations each API key has running, so that one key cannot take
/// the whole issuing lane of the argon2 pool.
final class HashingBudget: Sendable {
    private let limit: Int
    private let running = NIOLockedValueBox<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes one slot for `key`; false when it already has `limit`.
    func take(_ key: String) -> Bool {
        running.withLockedValue { running in
            guard running[key, default: 0] < limit else { return false }
            running[key, default: 0] += 1
            return true
        }
    }

    func give(_ key: String) {
        running.withLockedValue { running in
            running[key, default: 1] -= 1
            if running[key] == 0 { running.removeValue(forKey: key) }
        }
    }
}
