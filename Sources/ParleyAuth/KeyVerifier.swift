import ParleyModel
import ParleyStore

/// Checks an API key: parse, look up by key id, argon2id-verify on the pool, check usability.
///
/// An unknown key id is verified against a dummy hash, so it fails with the same error and in
/// comparable time as a wrong secret: neither reveals whether a key id exists.
public struct KeyVerifier: Sendable {
    /// Why a key was not accepted.
    public enum Failure: Error, Sendable, Equatable {
        /// Malformed, unknown, wrong secret, revoked or expired: deliberately one case.
        case unauthenticated
        /// The verification pool is saturated; try again later.
        case busy
    }

    private let store: any ConfigurationStore
    private let pool: Argon2Pool
    private let dummyHash: String

    /// `dummyHash` is computed once here (one argon2 run) with the standard parameters.
    public init(store: any ConfigurationStore, pool: Argon2Pool) throws {
        self.store = store
        self.pool = pool
        self.dummyHash = try Argon2.hash(APIKeyToken.generate().secret)
    }

    /// The stored key that `presented` authenticates as, at time `now`.
    public func verify(_ presented: String, at now: Timestamp = .now()) async throws(Failure) -> APIKey {
        guard let token = APIKeyToken(parsing: presented) else { throw .unauthenticated }
        let stored: APIKey?
        do {
            stored = try await store.apiKey(id: token.keyID)
        } catch {
            throw .unauthenticated
        }
        let hash = stored?.secretHash ?? dummyHash
        let matches: Bool
        do {
            matches = try await pool.submit { (try? Argon2.verify(token.secret, against: hash)) ?? false }
        } catch is Argon2Pool.Saturated {
            throw .busy
        } catch {
            throw .unauthenticated
        }
        guard matches, let stored, stored.isUsable(at: now) else { throw .unauthenticated }
        return stored
    }
}
