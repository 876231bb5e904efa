import Crypto
import Foundation
import ParleyModel
import Synchronization

/// Keys that recently passed argon2id verification, so that a reconnecting client skips it.
///
/// An entry is found by the token's public key id and holds an HMAC-SHA256 of the whole token
/// under a secret drawn when the server starts (never the token itself); a presented token hits
/// only if its HMAC matches, compared in constant time. Entries live for a bounded time, the
/// cache holds a bounded number of them, and revocation, rotation and expiry remove them.
public final class VerifiedKeyCache: Sendable {
    public struct Configuration: Sendable {
        /// How long a verification is trusted, in milliseconds.
        public var lifetimeMilliseconds: Int64
        /// How many keys are remembered at most; the oldest entry makes room.
        public var maximumEntries: Int

        public init(lifetimeMilliseconds: Int64 = 10 * 60 * 1000, maximumEntries: Int = 10_000) {
            self.lifetimeMilliseconds = lifetimeMilliseconds
            self.maximumEntries = maximumEntries
        }
    }

    private struct Entry {
        var mac: Data
        var key: APIKey
        var cachedAt: Timestamp
    }

    public let configuration: Configuration
    private let secret = SymmetricKey(size: .bits256)
    private let entries = Mutex<[String: Entry]>([:])

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The key `token` verified as, if that verification is remembered and still valid at `now`.
    public func lookup(_ token: APIKeyToken, at now: Timestamp) -> APIKey? {
        let secret = self.secret
        let lifetime = configuration.lifetimeMilliseconds
        return entries.withLock { entries in
            guard let entry = entries[token.keyID] else { return nil }
            let fresh = now.millisecondsSinceEpoch - entry.cachedAt.millisecondsSinceEpoch < lifetime
            guard fresh, entry.key.isUsable(at: now) else {
                entries.removeValue(forKey: token.keyID)
                return nil
            }
            let matches = HMAC<SHA256>.isValidAuthenticationCode(entry.mac, authenticating: Data(token.text.utf8), using: secret)
            return matches ? entry.key : nil
        }
    }

    /// Remembers that `token` verified as `key`.
    public func remember(_ token: APIKeyToken, as key: APIKey, at now: Timestamp) {
        let mac = Data(HMAC<SHA256>.authenticationCode(for: Data(token.text.utf8), using: secret))
        let capacity = configuration.maximumEntries
        entries.withLock { entries in
            if entries[key.id] == nil, entries.count >= capacity,
                let oldest = entries.min(by: { $0.value.cachedAt < $1.value.cachedAt })?.key
            {
                entries.removeValue(forKey: oldest)
            }
            entries[key.id] = Entry(mac: mac, key: key, cachedAt: now)
        }
    }

    /// Forgets key `id` (revoked, rotated or changed).
    public func invalidate(keyId id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }

    /// Forgets every key of `tenantId` (the tenant was deleted).
    public func invalidate(tenantId: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.key.tenantId != tenantId } }
    }

    /// How many keys are remembered.
    public var count: Int { entries.withLock { $0.count } }
}
