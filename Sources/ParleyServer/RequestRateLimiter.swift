import NIOConcurrencyHelpers
import NIOCore

/// A token bucket per API key, shared by all of the key's connections: `rate` requests per
/// second on average, bursts of up to `burst`. A rate of 0 turns the limit off.
final class RequestRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    let rate: Double
    let burst: Double
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes one token for `keyId`; nil when the request may run, else the milliseconds until a token is back.
    func admit(_ keyId: String, at now: NIODeadline = .now()) -> Int64? {
        guard rate > 0 else { return nil }
        let rate = self.rate, burst = self.burst
        return buckets.withLockedValue { buckets in
            var bucket = buckets[keyId] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated).nanoseconds) / 1e9
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * rate)
            bucket.updated = now
            defer { buckets[keyId] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int64(((1 - bucket.tokens) / rate * 1000).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
