import GRDB
import ParleyModel
import ParleyStore

/// API key reads and the last-use bookkeeping (writes of keys are ``StoreRules``').
extension SQLiteStore {
    public func apiKey(id: String) async throws -> APIKey? {
        try await pool.read { db in try APIKeyRecord.fetchOne(db, key: id)?.model }
    }

    public func apiKeys(tenantId: String?, after afterID: String?, limit: Int) async throws -> [APIKey] {
        try await pool.read { db in
            if let tenantId, try !SQLiteTransaction(db: db).tenantExists(id: tenantId) {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            var request = APIKeyRecord.order(Column("id")).limit(limit)
            if let tenantId { request = request.filter(Column("tenant_id") == tenantId) }
            if let afterID { request = request.filter(Column("id") > afterID) }
            return try request.fetchAll(db).compactMap(\.model)
        }
    }

    public func usableAdminKeyCount(at time: Timestamp) async throws -> Int {
        try await pool.read { db in
            try APIKeyRecord
                .filter(Column("role") == Role.admin.rawValue && Column("revoked_at") == nil)
                .filter(Column("expires_at") == nil || Column("expires_at") > time.millisecondsSinceEpoch)
                .fetchCount(db)
        }
    }

    public func recordKeyUse(id: String, at time: Timestamp) async throws {
        try await pool.write { db in
            try db.executeCached("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [time.millisecondsSinceEpoch, id])
        }
    }
}
