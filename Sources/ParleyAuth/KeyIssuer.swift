import ParleyModel
import ParleyStore

/// Creates API keys: a fresh token, its argon2id hash stored, the token returned once.
public struct KeyIssuer: Sendable {
    private let store: any ConfigurationStore
    private let pool: Argon2Pool

    public init(store: any ConfigurationStore, pool: Argon2Pool) {
        self.store = store
        self.pool = pool
    }

    /// A new key and the only copy of its token. The token must be shown to the user once and
    /// never stored or logged.
    public func issue(
        name: String, role: Role, tenantId: String? = nil, expiresAt: Timestamp? = nil, at now: Timestamp = .now()
    ) async throws -> (key: APIKey, token: APIKeyToken) {
        let token = APIKeyToken.generate()
        let secret = token.secret
        let hash = try await pool.submit { try Argon2.hash(secret) }
        let key = APIKey(
            id: token.keyID, secretHash: hash, role: role, tenantId: tenantId, name: name, createdAt: now,
            expiresAt: expiresAt)
        return (try await store.createAPIKey(key), token)
    }
}
