import ParleyModel
import Synchronization

/// Bounds key guessing and the argon2 work bad keys can cause, without locking out valid keys.
///
/// Every client address (IPv6 by its /64) and every key id has a bucket of failure tokens:
/// `burst` of them, one more every `refillMilliseconds`. An attempt that reaches argon2 reserves
/// a token from both of its buckets first; a success gives both back (and fills the key id's
/// bucket), a failure keeps them spent. So, per address and per key id, bad keys cost at most
/// `burst` argon2 verifications at once and `60000 / refillMilliseconds` a minute after that,
/// while valid keys never spend anything.
///
/// An attempt that finds a bucket empty does not fail at once: while attempts of that bucket are
/// still being verified it waits for their verdicts (a pool of connections saying hello with one
/// valid key all get through), and when the next token is due within `maximumWaitMilliseconds`
/// it waits for it. Only past that is it refused, with the time until the next token.
public final class AuthThrottle: Sendable {
    public struct Configuration: Sendable {
        /// Failures a bucket allows at once (0 turns the throttle off).
        public var burst: Int
        /// Milliseconds until a spent token comes back.
        public var refillMilliseconds: Int64
        /// Longest an attempt waits for a token or a verdict before it is refused.
        public var maximumWaitMilliseconds: Int64
        /// Attempts that may wait on one bucket at once; more are refused at once.
        public var maximumWaitersPerBucket: Int
        /// How many buckets are tracked at most (full, idle ones are not kept at all).
        public var maximumTracked: Int

        public init(
            burst: Int = 10, refillMilliseconds: Int64 = 3000, maximumWaitMilliseconds: Int64 = 5000,
            maximumWaitersPerBucket: Int = 64, maximumTracked: Int = 100_000
        ) {
            self.burst = burst
            self.refillMilliseconds = max(1, refillMilliseconds)
            self.maximumWaitMilliseconds = maximumWaitMilliseconds
            self.maximumWaitersPerBucket = maximumWaitersPerBucket
            self.maximumTracked = maximumTracked
        }

        /// Failing verifications allowed per bucket in any one minute: the burst plus a minute of refills.
        public var failuresPerMinute: Int { burst + Int(60_000 / refillMilliseconds) }
    }

    /// An admitted attempt: report its verdict with ``succeeded(_:)``, ``failed(_:)`` or ``withdraw(_:)``.
    public struct Ticket: Sendable {
        fileprivate let subjects: [String]
        fileprivate let keySubject: String?
    }

    /// What ``admit(keyId:peer:)`` decided.
    public enum Admission: Sendable {
        case admitted(Ticket)
        /// Refused; the next token is due in this many milliseconds.
        case refused(retryAfterMilliseconds: Int64)
    }

    public let configuration: Configuration
    private let clock: @Sendable () -> Timestamp
    private let state = Mutex(BucketTable())

    public init(configuration: Configuration = .init(), clock: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Admits one attempt for `keyId` from `peer`, waiting as described above.
    public func admit(keyId: String?, peer: String?) async -> Admission {
        guard configuration.burst > 0 else { return .admitted(Ticket(subjects: [], keySubject: nil)) }
        let subjects = Self.subjects(keyId: keyId, peer: peer)
        let giveUp = clock().millisecondsSinceEpoch + configuration.maximumWaitMilliseconds
        while true {
            let now = clock()
            let step = state.withLock { $0.reserve(subjects, at: now, configuration: configuration) }
            switch step {
            case .reserved:
                return .admitted(Ticket(subjects: subjects, keySubject: keyId.map { "key:" + $0 }))
            case .waitForVerdict(let subject, let refill):
                guard now.millisecondsSinceEpoch < giveUp else { return .refused(retryAfterMilliseconds: refill) }
                let left = giveUp - now.millisecondsSinceEpoch
                guard await waitForVerdict(on: subject, milliseconds: left) else { return .refused(retryAfterMilliseconds: refill) }
            case .waitForRefill(let milliseconds):
                guard now.millisecondsSinceEpoch + milliseconds <= giveUp else { return .refused(retryAfterMilliseconds: milliseconds) }
                try? await Task.sleep(for: .milliseconds(milliseconds))
            case .refuse(let milliseconds):
                return .refused(retryAfterMilliseconds: milliseconds)
            }
        }
    }

    /// The attempt succeeded: its tokens come back, and its key id's bucket is full again.
    public func succeeded(_ ticket: Ticket) {
        release(ticket) { table, subject in
            table.refund(subject)
            if subject == ticket.keySubject { table.forget(subject) }
        }
    }

    /// The attempt failed: its tokens stay spent.
    public func failed(_ ticket: Ticket) {
        release(ticket) { table, subject in table.settle(subject) }
    }

    /// The attempt was not judged (the verifier was too busy): its tokens come back.
    public func withdraw(_ ticket: Ticket) {
        release(ticket) { table, subject in table.refund(subject) }
    }

    /// How many buckets are tracked now (tests).
    public var trackedCount: Int { state.withLock { $0.buckets.count } }

    private func release(_ ticket: Ticket, _ update: (inout BucketTable, String) -> Void) {
        let woken = state.withLock { table -> [CheckedContinuation<Bool, Never>] in
            var woken: [CheckedContinuation<Bool, Never>] = []
            for subject in ticket.subjects {
                update(&table, subject)
                woken += table.takeWaiters(subject)
            }
            return woken
        }
        for waiter in woken { waiter.resume(returning: true) }
    }

    /// Waits until an attempt of `subject` is judged (true) or `milliseconds` pass (false).
    private func waitForVerdict(on subject: String, milliseconds: Int64) async -> Bool {
        let ticket = state.withLock { $0.newWaiterTicket() }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(milliseconds))
            self?.expireWaiter(subject, ticket)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { table in !table.addWaiter(subject, ticket, continuation) }
            if resumeNow { continuation.resume(returning: true) }
        }
    }

    private func expireWaiter(_ subject: String, _ ticket: Int) {
        let waiter = state.withLock { $0.removeWaiter(subject, ticket) }
        waiter?.resume(returning: false)
    }

    /// The buckets an attempt draws on: its key id's and its address's (IPv6 counted by its /64,
    /// so that one host cannot spread guesses over its whole prefix).
    static func subjects(keyId: String?, peer: String?) -> [String] {
        [keyId.map { "key:" + $0 }, peer.map { "peer:" + addressBucket($0) }].compactMap { $0 }
    }

    static func addressBucket(_ address: String) -> String {
        guard address.contains(":") else { return address }
        let groups = IPv6Address.groups(address)
        return groups.map { $0.prefix(4).map { String($0, radix: 16) }.joined(separator: ":") + "::/64" } ?? address
    }
}
