import ParleyModel

/// Which audit records ``ConfigurationStore/auditRecords(_:)`` returns, newest first.
public struct AuditQuery: Sendable, Hashable {
    public var tenantId: String?
    public var keyId: String?
    public var method: String?
    /// Only records at or after this time.
    public var since: Timestamp?
    /// Continue after (older than) this record id.
    public var afterID: String?
    public var limit: Int

    public init(tenantId: String? = nil, keyId: String? = nil, method: String? = nil, since: Timestamp? = nil, afterID: String? = nil, limit: Int) {
        self.tenantId = tenantId
        self.keyId = keyId
        self.method = method
        self.since = since
        self.afterID = afterID
        self.limit = limit
    }
}
