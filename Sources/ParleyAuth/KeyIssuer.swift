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
    /// never stored or logged. A dry run checks everything and stores nothing.
    public func issue(
        name: String, role: Role, tenantId: String? = nil, expiresAt: Timestamp? = nil, createdBy: String? = nil,
        dryRun: Bool = false, audit: AuditContext, at now: Timestamp = .now()
    ) async throws -> (key: APIKey, token: APIKeyToken) {
        let (key, token) = try await make(
            name: name, role: role, tenantId: tenantId, expiresAt: expiresAt, createdBy: createdBy, hashing: !dryRun, at: now)
        return (try await store.createAPIKey(key, dryRun: dryRun, audit: audit), token)
    }

    /// A new key and its token, hashed but not stored (for a rotation, which stores it itself).
    /// Without `hashing` (a dry run, whose token is never shown or stored) no argon2 work runs
    /// and the key holds a placeholder that matches no secret.
    public func make(
        name: String, role: Role, tenantId: String?, expiresAt: Timestamp?, createdBy: String?, hashing: Bool = true,
        at now: Timestamp = .now()
    ) async throws -> (key: APIKey, token: APIKeyToken) {
        let token = APIKeyToken.generate()
        let secret = token.secret
        let hash = hashing ? try await pool.submit(.issuing) { try Argon2.hash(secret) } : Self.dryRunHash
        let key = APIKey(
            id: token.keyID, secretHash: hash, role: role, tenantId: tenantId, name: name, createdAt: now,
            expiresAt: expiresAt, createdBy: createdBy)
        return (key, token)
    }

    /// What a dry run stores in place of a hash (it is rolled back; it is not an argon2 hash, so
    /// it could never verify anyway).
    static let dryRunHash = "dry-run: not hashed"
}
