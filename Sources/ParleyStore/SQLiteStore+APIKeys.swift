import GRDB
import ParleyModel

extension SQLiteStore {
    public func createAPIKey(_ key: APIKey, dryRun: Bool, audit: AuditContext) async throws -> APIKey {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            if let tenantId = key.tenantId { try Self.requireTenant(tenantId, db: db) }
            var stored = key
            stored.revision = revision
            try APIKeyRecord(stored).insert(db)
            return WriteResult(value: stored, changed: true, change: .key(before: nil, after: stored))
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await pool.read { db in try APIKeyRecord.fetchOne(db, key: id)?.model }
    }

    public func apiKeys(tenantId: String?, after afterID: String?, limit: Int) async throws -> [APIKey] {
        try await pool.read { db in
            if let tenantId { try Self.requireTenant(tenantId, db: db) }
            var request = APIKeyRecord.order(Column("id")).limit(limit)
            if let tenantId { request = request.filter(Column("tenant_id") == tenantId) }
            if let afterID { request = request.filter(Column("id") > afterID) }
            return try request.fetchAll(db).compactMap(\.model)
        }
    }

    public func revokeAPIKey(id: String, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext) async throws -> APIKey {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            let current = try Self.fetchKey(id, db: db)
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "api key")
            guard current.revokedAt == nil else { return WriteResult(value: current, changed: false, change: .key(before: current, after: current)) }
            var revoked = current
            revoked.revokedAt = .now()
            revoked.revision = revision
            try APIKeyRecord(revoked).update(db)
            return WriteResult(value: revoked, changed: true, change: .key(before: current, after: revoked))
        }
    }

    public func rotateAPIKey(
        id: String, replacement: APIKey, graceSeconds: Int64, dryRun: Bool, audit: AuditContext
    ) async throws -> (old: APIKey, new: APIKey) {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            let current = try Self.fetchKey(id, db: db)
            let now = Timestamp.now()
            guard current.isUsable(at: now) else {
                throw ConfigError.conflict(
                    reason: "inactive", message: "api key \(id) is \(current.status(at: now).lowercased()); only an active key can be rotated")
            }
            if let replacement = current.replacedBy {
                throw ConfigError.conflict(
                    reason: "already_rotated", message: "api key \(id) was already rotated; rotate its replacement \(replacement) instead",
                    details: ["replaced_by": .string(replacement)])
            }
            var old = current
            let graceEnd = now.adding(milliseconds: graceSeconds * 1000)
            old.expiresAt = min(current.expiresAt ?? graceEnd, graceEnd)
            old.replacedBy = replacement.id
            old.revision = revision
            var new = replacement
            new.revision = revision
            try APIKeyRecord(new).insert(db)
            try APIKeyRecord(old).update(db)
            var change = AuditChange.key(before: current, after: old)
            change.after?["replacement"] = new.json(at: now)
            return WriteResult(value: (old, new), changed: true, change: change)
        }
    }

    static func fetchKey(_ id: String, db: Database) throws -> APIKey {
        guard let key = try APIKeyRecord.fetchOne(db, key: id)?.model else { throw ConfigError.notFound(type: APIKey.auditType, id: id) }
        return key
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

extension AuditChange {
    /// A key's change, described by its metadata (never the secret or the hash).
    static func key(before: APIKey?, after: APIKey?) -> AuditChange {
        let some = (after ?? before)!
        return AuditChange(
            targetType: APIKey.auditType, targetId: some.id, tenantId: some.tenantId, before: before.map { members($0.json()) },
            after: after.map { members($0.json()) })
    }
}
