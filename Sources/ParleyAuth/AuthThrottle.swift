import ParleyModel
import Synchronization

/// Slows down key guessing: after `maximumFailures` failed authentications for one key id, or
/// from one peer address, within `windowMilliseconds`, further attempts are refused without any
/// argon2id work until the oldest failure leaves the window.
public final class AuthThrottle: Sendable {
    public struct Configuration: Sendable {
        public var maximumFailures: Int
        public var windowMilliseconds: Int64
        /// How many key ids and addresses are tracked at most (the stalest are dropped first).
        public var maximumTracked: Int

        public init(maximumFailures: Int = 5, windowMilliseconds: Int64 = 15 * 60 * 1000, maximumTracked: Int = 100_000) {
            self.maximumFailures = maximumFailures
            self.windowMilliseconds = windowMilliseconds
            self.maximumTracked = maximumTracked
        }
    }

    public let configuration: Configuration
    /// Failure times per subject (`key:<id>` or `peer:<address>`), oldest first.
    private let failures = Mutex<[String: [Timestamp]]>([:])

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// How long to wait, in milliseconds, before `keyId` or `peer` may try again; nil when allowed now.
    /// A `maximumFailures` of 0 turns throttling off.
    public func retryAfter(keyId: String?, peer: String?, at now: Timestamp) -> Int64? {
        guard configuration.maximumFailures > 0 else { return nil }
        let subjects = Self.subjects(keyId: keyId, peer: peer)
        let configuration = self.configuration
        return failures.withLock { failures in
            var wait: Int64?
            for subject in subjects {
                let recent = Self.recent(failures[subject] ?? [], at: now, window: configuration.windowMilliseconds)
                failures[subject] = recent.isEmpty ? nil : recent
                guard recent.count >= configuration.maximumFailures else { continue }
                let until = recent[recent.count - configuration.maximumFailures].millisecondsSinceEpoch + configuration.windowMilliseconds
                wait = max(wait ?? 0, max(1, until - now.millisecondsSinceEpoch))
            }
            return wait
        }
    }

    /// Counts a failed authentication against the key id and the peer.
    public func recordFailure(keyId: String?, peer: String?, at now: Timestamp) {
        guard configuration.maximumFailures > 0 else { return }
        let configuration = self.configuration
        failures.withLock { failures in
            for subject in Self.subjects(keyId: keyId, peer: peer) {
                var recent = Self.recent(failures[subject] ?? [], at: now, window: configuration.windowMilliseconds)
                recent.append(now)
                failures[subject] = Array(recent.suffix(configuration.maximumFailures))
            }
            if failures.count > configuration.maximumTracked {
                let stalest = failures.sorted { ($0.value.last ?? now) < ($1.value.last ?? now) }.prefix(failures.count / 10 + 1)
                for (subject, _) in stalest { failures.removeValue(forKey: subject) }
            }
        }
    }

    /// A successful authentication clears the key id's failures (the peer's stay).
    public func recordSuccess(keyId: String) {
        _ = failures.withLock { $0.removeValue(forKey: "key:" + keyId) }
    }

    private static func subjects(keyId: String?, peer: String?) -> [String] {
        [keyId.map { "key:" + $0 }, peer.map { "peer:" + $0 }].compactMap { $0 }
    }

    private static func recent(_ times: [Timestamp], at now: Timestamp, window: Int64) -> [Timestamp] {
        times.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < window }
    }
}
