import ParleyModel
import Synchronization

/// Who is making a change and through which method: every store mutation takes one and writes
/// its audit record in the same transaction as the change (a change without its record cannot
/// be committed). The server records calls that never reached the store (denied, invalid
/// params) itself, after checking ``isRecorded``.
public final class AuditContext: Sendable {
    public let keyId: String?
    public let method: String
    /// The tenant the call concerns, if known (a handler may learn it later: ``assignTenant(_:)``).
    public var tenantId: String? { tenant.withLock { $0 } }
    private let tenant: Mutex<String?>
    /// The object the call names (`params.id`), if any; a creation reports its new id itself.
    public let targetType: String?
    public let targetId: String?
    private let recorded = Mutex(false)

    public init(keyId: String?, method: String, tenantId: String?, targetType: String?, targetId: String?) {
        self.keyId = keyId
        self.method = method
        self.tenant = Mutex(tenantId)
        self.targetType = targetType
        self.targetId = targetId
    }

    /// A change made by the server itself (`parleyd init`, the first start's admin key).
    public static func system(_ method: String, targetType: String? = nil) -> AuditContext {
        AuditContext(keyId: nil, method: method, tenantId: nil, targetType: targetType, targetId: nil)
    }

    /// Sets the tenant when the call did not name one (an API key's own tenant, say).
    public func assignTenant(_ tenantId: String?) {
        tenant.withLock { current in if current == nil { current = tenantId } }
    }

    /// Whether the store has written this call's audit record.
    public var isRecorded: Bool { recorded.withLock { $0 } }

    func markRecorded() { recorded.withLock { $0 = true } }
}

/// What a write changed, for its audit record.
struct AuditChange: Sendable {
    var targetType: String
    var targetId: String
    var tenantId: String?
    var before: [String: JSONValue]?
    var after: [String: JSONValue]?
}

extension AuditChange {
    /// The members of an object's wire form that describe it, without bookkeeping that every change moves.
    static func members(_ json: JSONValue) -> [String: JSONValue] {
        var members = json.objectValue ?? [:]
        for bookkeeping in ["revision", "created_at", "updated_at", "last_used_at"] { members.removeValue(forKey: bookkeeping) }
        return members
    }

    static func tenant(_ id: String, before: Tenant?, after: Tenant?) -> AuditChange {
        AuditChange(
            targetType: "tenant", targetId: id, tenantId: id, before: before.map { members($0.json) }, after: after.map { members($0.json) })
    }

    static func resource(_ before: StoredResource?, _ after: StoredResource?) -> AuditChange {
        let some = (after ?? before)!
        return AuditChange(
            targetType: some.kind.type, targetId: some.id, tenantId: some.tenantId, before: before.map { members($0.json) },
            after: after.map { members($0.json) })
    }
}
