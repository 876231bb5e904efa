import GRDB
import ParleyModel
import ParleyStore

/// The read snapshot `config.export` and the planning of `config.apply` work on.
extension SQLiteStore {
    public func documentSnapshot(tenantId: String) async throws -> (revision: Int64, tenant: Tenant?, resources: [StoredResource]) {
        try await pool.read { db in
            (try Self.revision(db), try Self.lookUpTenant(tenantId, db: db), try Self.allResources(of: tenantId, db: db))
        }
    }

    static func allResources(of tenantId: String, db: Database) throws -> [StoredResource] {
        try ResourceRecord.fetchAll(db, sql: "SELECT * FROM resources WHERE tenant_id = ? ORDER BY id", arguments: [tenantId])
            .map { try $0.model() }
    }
}
