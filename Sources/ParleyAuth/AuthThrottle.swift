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

    /// Admits one authentication attempt for `keyId` and `peer`, or says how long to wait, in
    /// milliseconds, before they may try again. An admitted attempt counts as a failure at once
    /// (check and count are one step, so parallel attempts cannot slip past the limit);
    /// ``succeeded(keyId:peer:at:)`` takes it back. A `maximumFailures` of 0 turns throttling off.
    public func admit(keyId: String?, peer: String?, at now: Timestamp) -> Int64? {
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
            guard wait == nil else { return wait }
            for subject in subjects { failures[subject, default: []].append(now) }
            if failures.count > configuration.maximumTracked {
                let stalest = failures.sorted { ($0.value.last ?? now) < ($1.value.last ?? now) }.prefix(failures.count / 10 + 1)
                for (subject, _) in stalest { failures.removeValue(forKey: subject) }
            }
            return nil
        }
    }

    /// The attempt admitted at `time` succeeded: it is not a failure, and the key id's failures are cleared.
    public func succeeded(keyId: String, peer: String?, at time: Timestamp) {
        guard configuration.maximumFailures > 0 else { return }
        failures.withLock { failures in
            failures.removeValue(forKey: "key:" + keyId)
            if let peer, let index = failures["peer:" + peer]?.lastIndex(of: time) {
                failures["peer:" + peer]?.remove(at: index)
            }
        }
    }

    /// Takes back the attempt admitted at `time` without judging it (the verifier was too busy to check it).
    public func withdraw(keyId: String?, peer: String?, at time: Timestamp) {
        guard configuration.maximumFailures > 0 else { return }
        failures.withLock { failures in
            for subject in Self.subjects(keyId: keyId, peer: peer) {
                if let index = failures[subject]?.lastIndex(of: time) { failures[subject]?.remove(at: index) }
            }
        }
    }

    private static func subjects(keyId: String?, peer: String?) -> [String] {
        [keyId.map { "key:" + $0 }, peer.map { "peer:" + $0 }].compactMap { $0 }
    }

    private static func recent(_ times: [Timestamp], at now: Timestamp, window: Int64) -> [Timestamp] {
        times.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < window }
    }
}
