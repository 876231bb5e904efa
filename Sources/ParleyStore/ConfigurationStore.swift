import ParleyModel

/// The storage seam: everything the server needs from persistent storage.
///
/// Every write runs in one transaction that bumps the store-wide revision by one; `dryRun`
/// performs all checks and returns what would be stored without committing. Implementations
/// throw ``ConfigError`` for conflicts and missing objects. SQLite is the embedded implementation
/// (``SQLiteStore``); a PostgreSQL one can be added behind the same protocol.
public protocol ConfigurationStore: Sendable {
    /// The store-wide revision: the number of committed configuration transactions.
    func currentRevision() async throws -> Int64

    // MARK: Tenants

    /// Creates a tenant; `.conflict(already_exists)` when the slug is taken.
    func createTenant(_ input: TenantInput, dryRun: Bool) async throws -> Tenant
    /// The tenant with `id`, or nil.
    func tenant(id: String) async throws -> Tenant?
    /// Tenants in id (creation) order after `afterID`, at most `limit`.
    func tenants(after afterID: String?, limit: Int) async throws -> [Tenant]
    /// Applies `patch`; a no-op patch returns the tenant unchanged without a new revision.
    func updateTenant(id: String, expectedRevision: Int64?, patch: TenantPatch, dryRun: Bool) async throws -> Tenant
    /// Deletes a tenant and returns the new store revision.
    func deleteTenant(id: String, expectedRevision: Int64?, dryRun: Bool) async throws -> Int64

    // MARK: API keys

    /// Stores a new key (its hash) and returns it with its revision.
    func createAPIKey(_ key: APIKey) async throws -> APIKey
    /// The key with public id `id`, or nil.
    func apiKey(id: String) async throws -> APIKey?
    /// How many platform admin keys can still authenticate at `time`.
    func usableAdminKeyCount(at time: Timestamp) async throws -> Int
    /// Records that the key was used (bookkeeping: does not bump the revision).
    func recordKeyUse(id: String, at time: Timestamp) async throws

    /// Flushes and closes the store.
    func close() async throws
}
