import GRDB
import ParleyModel
import ParleyStore

/// Audit reads and purging (records are written by ``StoreRules`` in each write's transaction).
extension SQLiteStore {
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
