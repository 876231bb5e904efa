import ParleyModel

/// The storage one write runs against, inside one transaction: rows in, rows out, in the order
/// the store keeps them. The rules every store must apply (``StoreRules``) are written once
/// against this protocol; a store implements storage, not rules.
///
/// Calls are synchronous: a store runs the whole transaction on a thread of its own (SQLite's
/// writer queue, PostgreSQL's writer thread), never on an event loop. Failures of the storage
/// itself are thrown as they are (``StoreError/classify(_:)`` tells store failures apart); the
/// rules throw ``ConfigError`` for the caller's mistakes.
public protocol StoreTransaction {
    // MARK: Revisions and savepoints

    /// The store-wide revision: the number of committed configuration transactions.
    func revision() throws -> Int64
    func setRevision(_ revision: Int64) throws
    /// Runs `body` in a savepoint; its changes stay when it returns `keep: true`, are undone when
    /// it returns `keep: false` or throws (then the error is rethrown).
    func savepoint<Value>(_ body: () throws -> (value: Value, keep: Bool)) throws -> Value
    /// The objects the change log records for `revision` (written in this transaction).
    func changes(atRevision revision: Int64) throws -> CommittedChanges
    /// Whether any change to tenant `tenantId` or its objects committed after `revision`.
    func tenantChanged(_ tenantId: String, afterRevision revision: Int64) throws -> Bool

    // MARK: Tenants

    func tenant(id: String) throws -> Tenant?
    func tenantExists(id: String) throws -> Bool
    func tenantHoldsSlug(_ slug: String) throws -> Bool
    func insertTenant(_ tenant: Tenant) throws
    func updateTenant(_ tenant: Tenant) throws
    /// Deletes the tenant with its configuration objects and keys.
    func deleteTenant(id: String) throws
    /// How many configuration objects the tenant has per family, not counting default blocked
    /// file types that were never edited (`state.source` `DEFAULT`).
    func configurationCounts(tenantId: String) throws -> [String: Int]

    // MARK: Configuration objects

    func resource(_ kind: ResourceKind, tenantId: String, id: String) throws -> StoredResource?
    /// Every object of the tenant, in id order.
    func resources(tenantId: String) throws -> [StoredResource]
    func insertResource(_ resource: StoredResource, nameKey: String) throws
    /// Stores `resource` over the stored one; `nameKey` nil keeps the stored name key.
    func updateResource(_ resource: StoredResource, nameKey: String?) throws
    func deleteResource(id: String) throws

    // MARK: Unique keys and references

    /// Removes the unique keys of object `id` (only those named in `names`, when given).
    func deleteKeys(of id: String, named names: Set<String>?) throws
    /// Gives the key to object `id` unless another object holds it; returns that holder then.
    func claimKey(kind: ResourceKind, scope: String, name: String, value: String, for id: String) throws -> String?
    func deleteReferences(from id: String) throws
    func insertReference(from id: String, field: String, to target: String) throws
    /// The objects referring to `id`, ordered by their id and field.
    func referrers(of id: String) throws -> [ResourceLink]
    /// The group group `id` falls back to, as stored.
    func fallbackTarget(of id: String) throws -> String?

    // MARK: API keys and the audit log

    func apiKey(id: String) throws -> APIKey?
    func insertAPIKey(_ key: APIKey) throws
    func updateAPIKey(_ key: APIKey) throws
    func insertAudit(_ record: AuditRecord) throws
}
