import ParleyModel

/// The storage seam: everything the server needs from persistent storage.
///
/// Every write runs in one transaction that bumps the store-wide revision by one; `dryRun`
/// performs all checks and returns what would be stored without committing. Implementations
/// throw ``ConfigError`` for conflicts and missing objects. A store conforms through
/// ``RuleBasedStore``, which supplies every write from the shared rules (``StoreRules``); the
/// embedded SQLite store and the PostgreSQL store are the two implementations.
public protocol ConfigurationStore: Sendable {
    /// The store-wide revision: the number of committed configuration transactions.
    func currentRevision() async throws -> Int64

    // MARK: Tenants

    /// Creates a tenant (with the default block list of file types when `seedBlockedFileTypes`);
    /// `.conflict(already_exists)` when the slug is taken.
    func createTenant(_ input: TenantInput, seedBlockedFileTypes: Bool, dryRun: Bool, audit: AuditContext) async throws -> Tenant
    /// The tenant with `id`, or nil.
    func tenant(id: String) async throws -> Tenant?

    /// The tenant with `id`, looked up without waiting (from memory, or a point read on the
    /// calling thread); `.unknown` when only ``tenant(id:)`` can tell. `readPoint`: the revision
    /// of a ``ReadPoints`` look-up the caller waited for, if any (a store with read points answers
    /// from memory only with one).
    func tenantNow(id: String, readPoint: Int64?) throws -> ImmediateLookup<Tenant>
    /// Tenants in id (creation) order after `afterID`, at most `limit`.
    func tenants(after afterID: String?, limit: Int) async throws -> [Tenant]
    /// Applies `patch`; a no-op patch returns the tenant unchanged without a new revision.
    func updateTenant(id: String, expectedRevision: Int64?, patch: TenantPatch, dryRun: Bool, audit: AuditContext) async throws -> Tenant
    /// Deletes a tenant and returns the new store revision. Unless `cascade`, a tenant that still
    /// has configuration (beyond its untouched default block list) is `.conflict(in_use)`.
    func deleteTenant(id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool, audit: AuditContext) async throws -> Int64

    // MARK: Configuration objects (every family)

    /// Stores a new object of `Content`'s family in `tenantId`: references must point at objects
    /// of the same tenant (`.notFound` otherwise), unique keys must be free (`.conflict(already_exists)`).
    /// `state` overrides the family's initial server state.
    func createResource<Content: ResourceContent>(
        _ content: Content, tenantId: String, state: [String: JSONValue]?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource
    /// The object `id` of `kind` in `tenantId`, or nil; `.notFound(tenant)` when the tenant does not exist.
    func resource(_ kind: ResourceKind, tenantId: String, id: String) async throws -> StoredResource?

    /// ``resource(_:tenantId:id:)`` without waiting (from memory, or a point read on the calling
    /// thread), throwing as it does for a missing tenant; `.unknown` when only it can tell.
    /// `readPoint` as for ``tenantNow(id:readPoint:)``.
    func resourceNow(_ kind: ResourceKind, tenantId: String, id: String, readPoint: Int64?) throws -> ImmediateLookup<StoredResource>
    /// The objects of `kind` in `tenantId` matching `query`, in id order.
    func resources(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) async throws -> [StoredResource]
    /// ``resources(_:tenantId:query:)`` without waiting (a point read on the calling thread), for
    /// a query that ``ResourceQuery/isIndexRange``; `.unknown` when only it can tell.
    func resourcesNow(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) throws -> ImmediateLookup<[StoredResource]>
    /// Merges `changes` into the object's fields (``ResourcePatch``) and validates the result as a
    /// whole; returns the object (unchanged, without a new revision, for a no-op) and any warnings.
    func updateResource<Content: ResourceContent>(
        _ type: Content.Type, tenantId: String, id: String, expectedRevision: Int64?, changes: [String: JSONValue],
        dryRun: Bool, audit: AuditContext
    ) async throws -> (resource: StoredResource, warnings: [ValidationIssue])
    /// Deletes an object; `.conflict(in_use)` listing the referrers while others refer to it,
    /// except those its family deletes along with it when `cascade` (a number's templates).
    func deleteResource(
        _ kind: ResourceKind, tenantId: String, id: String, expectedRevision: Int64?, cascade: Bool, dryRun: Bool,
        audit: AuditContext
    ) async throws -> ResourceDeletion
    /// Records Meta's review of a template (``TemplateReview``): its status and first approval,
    /// the reasons, Meta's id and quality score, and a category Meta moved it to.
    func setTemplateStatus(
        tenantId: String, id: String, review: TemplateReview, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource

    // MARK: Declarative configuration

    /// The tenant's configuration as one document: natural keys instead of ids, no revisions or
    /// timestamps, families and their items in a deterministic order.
    func exportConfiguration(tenantId: String) async throws -> JSONValue
    /// Makes the tenant's configuration what `document` says, in one transaction, and returns
    /// the plan `{"create", "update", "delete", "revision"}`; with `prune`, objects of the
    /// families the document lists but that it does not hold are deleted.
    func applyConfiguration(
        tenantId: String, document: [String: JSONValue], prune: Bool, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> JSONValue

    // MARK: API keys

    /// Stores a new key (its hash) and returns it with its revision.
    func createAPIKey(_ key: APIKey, dryRun: Bool, audit: AuditContext) async throws -> APIKey
    /// The key with public id `id`, or nil.
    func apiKey(id: String) async throws -> APIKey?
    /// Keys in id order (of one tenant, or all), after `afterID`, at most `limit`.
    func apiKeys(tenantId: String?, after afterID: String?, limit: Int) async throws -> [APIKey]
    /// Revokes a key at once; revoking a revoked key changes nothing.
    func revokeAPIKey(id: String, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext) async throws -> APIKey
    /// Stores `replacement` and lets the active key `id` expire `graceSeconds` from now (or
    /// sooner, if it already expires sooner); `.conflict(inactive)` for a revoked or expired key.
    func rotateAPIKey(
        id: String, replacement: APIKey, graceSeconds: Int64, dryRun: Bool, audit: AuditContext
    ) async throws -> (old: APIKey, new: APIKey)
    /// How many platform admin keys can still authenticate at `time`.
    func usableAdminKeyCount(at time: Timestamp) async throws -> Int
    /// Records that the key was used (bookkeeping: does not bump the revision).
    func recordKeyUse(id: String, at time: Timestamp) async throws

    // MARK: Change log (watch)

    /// Wakes watchers after each committed change.
    var changeSignal: ChangeSignal { get }
    /// How long a watcher waits for ``changeSignal`` before it reads the change log anyway: long
    /// for a store whose own writes are all there is, short for one shared by several processes
    /// (a wake-up can be missed while the store reconnects to its notifications).
    var changePollInterval: Duration { get }
    /// Logged changes after log position `sequence` matching `filter`, oldest first.
    func changes(after sequence: Int64, matching filter: ChangeFilter, limit: Int) async throws -> [ChangeEvent]
    /// Where a watch resuming after `revision` starts, or `.gone` when that history was compacted.
    func changePosition(atRevision revision: Int64) async throws -> ChangePosition
    /// Drops change history older than both `keepRevisions` revisions and `time`.
    func compactChanges(keepRevisions: Int64, olderThan time: Timestamp) async throws -> Int

    // MARK: Audit log

    /// Writes the audit record of a call that never reached a store write (denied, invalid params).
    func recordAudit(_ audit: AuditContext, outcome: AuditRecord.Outcome, errorCode: Int64?) async throws
    /// Audit records matching `query`, newest first.
    func auditRecords(_ query: AuditQuery) async throws -> [AuditRecord]
    /// Deletes audit records older than `time`; returns how many.
    func purgeAudit(before time: Timestamp) async throws -> Int

    /// Flushes and closes the store.
    func close() async throws
}

/// The immediate lookups are an optional capability (SQLite answers them from memory or a point
/// reader on the calling thread): a store without them answers `.unknown`, and callers then wait
/// for ``ConfigurationStore/tenant(id:)`` and ``ConfigurationStore/resource(_:tenantId:id:)``.
extension ConfigurationStore {
    public var changePollInterval: Duration { .seconds(30) }

    public func tenantNow(id: String, readPoint: Int64?) throws -> ImmediateLookup<Tenant> { .unknown }

    public func resourceNow(_ kind: ResourceKind, tenantId: String, id: String, readPoint: Int64?) throws -> ImmediateLookup<StoredResource> {
        .unknown
    }

    public func resourcesNow(_ kind: ResourceKind, tenantId: String, query: ResourceQuery) throws -> ImmediateLookup<[StoredResource]> {
        .unknown
    }
}
