import GRDB
import ParleyModel

/// Which audit records `auditRecords` returns, newest first.
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

extension SQLiteStore {
    static func insertAudit(
        _ audit: AuditContext, outcome: AuditRecord.Outcome, change: AuditChange?, revision: Int64?, errorCode: Int64?, db: Database
    ) throws {
        let now = Timestamp.now()
        let record = AuditRecord(
            id: Identifier.make(prefix: AuditRecord.idPrefix, at: now), at: now, keyId: audit.keyId,
            tenantId: change?.tenantId ?? audit.tenantId, method: audit.method,
            targetType: change?.targetType ?? audit.targetType, targetId: change?.targetId ?? audit.targetId,
            outcome: outcome, errorCode: errorCode, revision: revision,
            changes: change.map { AuditRecord.changes(before: $0.before, after: $0.after) } ?? [:])
        try AuditRecordRow(record).insert(db)
    }

    public func recordAudit(_ audit: AuditContext, outcome: AuditRecord.Outcome, errorCode: Int64?) async throws {
        try await pool.write { db in
            try Self.insertAudit(audit, outcome: outcome, change: nil, revision: nil, errorCode: errorCode, db: db)
        }
        audit.markRecorded()
    }

    public func auditRecords(_ query: AuditQuery) async throws -> [AuditRecord] {
        try await pool.read { db in
            var request = AuditRecordRow.order(Column("id").desc).limit(query.limit)
            if let tenantId = query.tenantId { request = request.filter(Column("tenant_id") == tenantId) }
            if let keyId = query.keyId { request = request.filter(Column("key_id") == keyId) }
            if let method = query.method { request = request.filter(Column("method") == method) }
            if let since = query.since { request = request.filter(Column("at") >= since.millisecondsSinceEpoch) }
            if let after = query.afterID { request = request.filter(Column("id") < after) }
            return try request.fetchAll(db).map { try $0.model() }
        }
    }

    public func purgeAudit(before time: Timestamp) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM audit_log WHERE at < ?", arguments: [time.millisecondsSinceEpoch])
            return db.changesCount
        }
    }
}
