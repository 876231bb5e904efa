import GRDB
import ParleyModel

extension SQLiteStore {
    public func createAPIKey(_ key: APIKey) async throws -> APIKey {
        try await write(dryRun: false) { db, revision in
            if let tenantId = key.tenantId, try TenantRecord.fetchOne(db, key: tenantId) == nil {
                throw ConfigError.notFound(type: "tenant", id: tenantId)
            }
            var stored = key
            stored.revision = revision
            try APIKeyRecord(stored).insert(db)
            return WriteResult(value: stored, changed: true)
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await pool.read { db in try APIKeyRecord.fetchOne(db, key: id)?.model }
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
            try db.execute(sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ?", arguments: [time.millisecondsSinceEpoch, id])
        }
    }
}
