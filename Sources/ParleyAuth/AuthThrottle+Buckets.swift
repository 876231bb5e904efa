import ParleyModel

/// The throttle's buckets, behind its lock. Only buckets that differ from a full, idle one are
/// kept: a subject without failures costs nothing.
struct BucketTable {
    struct Bucket {
        var tokens: Double
        var updated: Timestamp
        /// Attempts admitted and not yet judged.
        var inFlight = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    /// What an attempt is to do next.
    enum Step {
        case reserved
        /// A bucket is empty but attempts of it are being verified: wait for a verdict
        /// (`refill`: milliseconds until its next token, for a refusal).
        case waitForVerdict(subject: String, refill: Int64)
        /// Every empty bucket refills within this many milliseconds.
        case waitForRefill(milliseconds: Int64)
        /// Too many attempts wait already.
        case refuse(retryAfterMilliseconds: Int64)
    }

    private(set) var buckets: [String: Bucket] = [:]
    private var nextWaiter = 0
    private var burst = 0.0

    mutating func reserve(_ subjects: [String], at now: Timestamp, configuration: AuthThrottle.Configuration) -> Step {
        burst = Double(configuration.burst)
        var longestRefill: Int64 = 0
        for subject in subjects {
            let bucket = refreshed(subject, at: now, refill: configuration.refillMilliseconds)
            defer { buckets[subject] = bucket }
            guard bucket.tokens < 1 else { continue }
            let refill = max(1, Int64(((1 - bucket.tokens) * Double(configuration.refillMilliseconds)).rounded(.up)))
            guard bucket.waiters.count < configuration.maximumWaitersPerBucket else { return .refuse(retryAfterMilliseconds: refill) }
            if bucket.inFlight > 0 { return .waitForVerdict(subject: subject, refill: refill) }
            longestRefill = max(longestRefill, refill)
        }
        if longestRefill > 0 {
            for subject in subjects { dropIfIdle(subject) }
            return .waitForRefill(milliseconds: longestRefill)
        }
        for subject in subjects {
            buckets[subject]?.tokens -= 1
            buckets[subject]?.inFlight += 1
        }
        if buckets.count > configuration.maximumTracked { dropStalest(at: now) }
        return .reserved
    }

    /// A judged attempt gives its token back.
    mutating func refund(_ subject: String) {
        guard var bucket = buckets[subject] else { return }
        bucket.tokens = min(burst, bucket.tokens + 1)
        buckets[subject] = bucket
        settle(subject)
    }

    /// A judged attempt leaves flight (its token stays spent unless refunded).
    mutating func settle(_ subject: String) {
        guard buckets[subject] != nil else { return }
        buckets[subject]!.inFlight = max(0, buckets[subject]!.inFlight - 1)
    }

    /// The subject's bucket is full again (a key id that just authenticated).
    mutating func forget(_ subject: String) {
        guard var bucket = buckets[subject] else { return }
        bucket.tokens = burst
        buckets[subject] = bucket
        dropIfIdle(subject)
    }

    mutating func takeWaiters(_ subject: String) -> [CheckedContinuation<Bool, Never>] {
        guard let waiters = buckets[subject]?.waiters, !waiters.isEmpty else {
            dropIfIdle(subject)
            return []
        }
        buckets[subject]?.waiters = [:]
        dropIfIdle(subject)
        return Array(waiters.values)
    }

    mutating func newWaiterTicket() -> Int {
        nextWaiter += 1
        return nextWaiter
    }

    /// Parks a waiter; false when there is nothing to wait for any more (resume at once).
    mutating func addWaiter(_ subject: String, _ ticket: Int, _ continuation: CheckedContinuation<Bool, Never>) -> Bool {
        guard let bucket = buckets[subject], bucket.inFlight > 0, bucket.tokens < 1 else { return false }
        buckets[subject]?.waiters[ticket] = continuation
        return true
    }

    mutating func removeWaiter(_ subject: String, _ ticket: Int) -> CheckedContinuation<Bool, Never>? {
        buckets[subject]?.waiters.removeValue(forKey: ticket)
    }

    private func refreshed(_ subject: String, at now: Timestamp, refill: Int64) -> Bucket {
        guard var bucket = buckets[subject] else { return Bucket(tokens: burst, updated: now) }
        let elapsed = Double(max(0, now.millisecondsSinceEpoch - bucket.updated.millisecondsSinceEpoch))
        bucket.tokens = min(burst, bucket.tokens + elapsed / Double(refill))
        bucket.updated = now
        return bucket
    }

    private mutating func dropIfIdle(_ subject: String) {
        guard let bucket = buckets[subject], bucket.tokens >= burst, bucket.inFlight == 0, bucket.waiters.isEmpty else { return }
        buckets.removeValue(forKey: subject)
    }

    /// Makes room by dropping the tenth of idle buckets updated longest ago.
    private mutating func dropStalest(at now: Timestamp) {
        let idle = buckets.filter { $0.value.inFlight == 0 && $0.value.waiters.isEmpty }
        for (subject, _) in idle.sorted(by: { $0.value.updated < $1.value.updated }).prefix(buckets.count / 10 + 1) {
            buckets.removeValue(forKey: subject)
        }
    }
}

/// Just enough IPv6 text parsing to group addresses by prefix.
enum IPv6Address {
    /// The eight 16-bit groups of `text` ("2001:db8::1", an optional zone after `%`), or nil.
    static func groups(_ text: String) -> [UInt16]? {
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        let halves = address.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func parse(_ part: String) -> [UInt16]? {
            part.isEmpty
                ? []
                : part.split(separator: ":", omittingEmptySubsequences: false).map { UInt16($0, radix: 16) }.reduce([UInt16]?([])) {
                    guard let list = $0, let value = $1 else { return nil }
                    return list + [value]
                }
        }
        guard let head = parse(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 8 ? head : nil }
        guard let tail = parse(halves[1]), head.count + tail.count < 8 else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
