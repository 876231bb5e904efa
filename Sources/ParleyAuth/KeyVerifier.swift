import ParleyModel
import ParleyStore

/// Checks an API key: throttle, parse, the verified-key cache, then look up by key id,
/// argon2id-verify on the pool and check usability.
///
/// An unknown key id is verified against a dummy hash, so it fails with the same error and in
/// comparable time as a wrong secret: neither reveals whether a key id exists. Attempts that are
/// not remembered pass the failure throttle before any argon2id work.
public struct KeyVerifier: Sendable {
    /// Why a key was not accepted.
    public enum Failure: Error, Sendable, Equatable {
        /// Malformed, unknown, wrong secret, revoked or expired: deliberately one case.
        case unauthenticated
        /// The verification pool is saturated; try again later.
        case busy
        /// Too many recent failures for this key id or address; the next attempt is allowed in this many milliseconds.
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
    ///
    /// A key verified before (the cache proves its holder knows it) is accepted without the
    /// throttle; any other attempt goes through ``AuthThrottle``, which may make it wait for the
    /// verdicts of attempts in flight or for a token, and refuses it only past its bound.
    public func verify(_ presented: String, peer: String? = nil, at now: Timestamp = .now()) async throws(Failure) -> APIKey {
        let token = APIKeyToken(parsing: presented)
        if let token, let remembered = cache.lookup(token, at: now) { return remembered }
        let ticket: AuthThrottle.Ticket
        switch await throttle.admit(keyId: token?.keyID, peer: peer) {
        case .admitted(let admitted): ticket = admitted
        case .refused(let wait): throw .throttled(retryAfterMilliseconds: wait)
        }
        guard let token else {
            throttle.failed(ticket)
            throw .unauthenticated
        }
        let key: APIKey?
        do {
            key = try await verifyWithArgon2(token, at: .now())
        } catch {
            throttle.withdraw(ticket)  // busy: not a failed guess
            throw error
        }
        guard let key else {
            throttle.failed(ticket)
            throw .unauthenticated
        }
        cache.remember(token, as: key, at: now)
        throttle.succeeded(ticket)
        return key
    }

    /// The remembered-key path of ``verify(_:peer:at:)``, without waiting: the key when the token
    /// was verified before and is still valid, nil when only ``verify(_:peer:at:)`` can tell.
    public func verifyFromMemory(_ presented: String, peer: String? = nil, at now: Timestamp = .now()) -> APIKey? {
        guard let token = APIKeyToken(parsing: presented) else { return nil }
        return cache.lookup(token, at: now)
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
