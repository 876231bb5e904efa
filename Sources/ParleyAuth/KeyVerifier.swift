import ParleyModel
import ParleyStore

/// Checks an API key: throttle, parse, the verified-key cache, then look up by key id,
/// argon2id-verify on the pool and check usability.
///
/// An unknown key id is verified against a dummy hash, so it fails with the same error and in
/// comparable time as a wrong secret: neither reveals whether a key id exists. A key id or peer
/// with too many recent failures is refused before any argon2id work.
public struct KeyVerifier: Sendable {
    /// Why a key was not accepted.
    public enum Failure: Error, Sendable, Equatable {
        /// Malformed, unknown, wrong secret, revoked or expired: deliberately one case.
        case unauthenticated
        /// The verification pool is saturated; try again later.
        case busy
        /// Too many recent failures for this key id or address; retry after this many milliseconds.
        case throttled(retryAfterMilliseconds: Int64)
    }

    let store: any ConfigurationStore
    let pool: Argon2Pool
    private let dummyHash: String
    /// Recently verified keys (skips argon2id for reconnecting clients).
    public let cache: VerifiedKeyCache
    /// Failed-attempt accounting per key id and peer.
    public let throttle: AuthThrottle

    /// `dummyHash` is computed once here (one argon2 run) with the standard parameters.
    public init(store: any ConfigurationStore, pool: Argon2Pool, cache: VerifiedKeyCache = .init(), throttle: AuthThrottle = .init()) throws {
        self.store = store
        self.pool = pool
        self.cache = cache
        self.throttle = throttle
        self.dummyHash = try Argon2.hash(APIKeyToken.generate().secret)
    }

    /// The stored key that `presented` authenticates as, at time `now`, for a client at `peer`.
    public func verify(_ presented: String, peer: String? = nil, at now: Timestamp = .now()) async throws(Failure) -> APIKey {
        let token = APIKeyToken(parsing: presented)
        if let token, let remembered = try remembered(token, peer: peer, at: now) { return remembered }
        // The attempt counts as a failure from here on unless it succeeds.
        if let wait = throttle.admit(keyId: token?.keyID, peer: peer, at: now) {
            throw .throttled(retryAfterMilliseconds: wait)
        }
        guard let token else { throw .unauthenticated }
        let key: APIKey?
        do {
            key = try await verifyWithArgon2(token, at: now)
        } catch {
            throttle.withdraw(keyId: token.keyID, peer: peer, at: now)  // busy: not a failed guess
            throw error
        }
        guard let key else { throw .unauthenticated }
        cache.remember(token, as: key, at: now)
        throttle.succeeded(keyId: token.keyID, peer: peer, at: now)
        return key
    }

    /// The usable stored key the token's secret matches, or nil.
    /// The remembered-key path of ``verify(_:peer:at:)``, without waiting: the key when the token
    /// was verified before and is still valid, `.throttled` when that key or peer is locked out,
    /// and nil when only ``verify(_:peer:at:)`` can tell (nothing is counted then).
    public func verifyFromMemory(_ presented: String, peer: String? = nil, at now: Timestamp = .now()) throws(Failure) -> APIKey? {
        guard let token = APIKeyToken(parsing: presented) else { return nil }
        return try remembered(token, peer: peer, at: now)
    }

    /// The key `token` verified as before, counted as an attempt like any other (so a locked-out
    /// key id or peer is refused even with a remembered key); nil when it is not remembered.
    private func remembered(_ token: APIKeyToken, peer: String?, at now: Timestamp) throws(Failure) -> APIKey? {
        guard let cached = cache.lookup(token, at: now) else { return nil }
        if let wait = throttle.admit(keyId: token.keyID, peer: peer, at: now) {
            throw .throttled(retryAfterMilliseconds: wait)
        }
        throttle.succeeded(keyId: token.keyID, peer: peer, at: now)
        return cached
    }

    private func verifyWithArgon2(_ token: APIKeyToken, at now: Timestamp) async throws(Failure) -> APIKey? {
        let stored: APIKey?
        do {
            stored = try await store.apiKey(id: token.keyID)
        } catch {
            return nil
        }
        let hash = stored?.secretHash ?? dummyHash
        let secret = token.secret
        let matches: Bool
        do {
            matches = try await pool.submit { (try? Argon2.verify(secret, against: hash)) ?? false }
        } catch is Argon2Pool.Saturated {
            throw .busy
        } catch {
            return nil
        }
        guard matches, stored != nil else { return nil }
        // Read the key again: a revocation or rotation may have committed during the argon2 run.
        let current = try? await store.apiKey(id: token.keyID)
        guard let current, current.secretHash == hash, current.isUsable(at: now) else { return nil }
        return current
    }
}

extension KeyVerifier {
    /// An issuer hashing on the same bounded argon2 pool as verification.
    public var issuer: KeyIssuer { KeyIssuer(store: store, pool: pool) }
}
