import ParleyModel

/// API keys: stored bound to an existing tenant, revoked once, rotated once while active.
extension StoreRules {
    static func createAPIKey<Tx: StoreTransaction>(_ key: APIKey, tx: Tx, revision: Int64) throws -> WriteResult<APIKey> {
        if let tenantId = key.tenantId { try requireTenant(tenantId, tx: tx) }
        var stored = key
        stored.revision = revision
        try tx.insertAPIKey(stored)
        return WriteResult(value: stored, changed: true, change: .key(before: nil, after: stored))
    }

    static func revokeAPIKey<Tx: StoreTransaction>(id: String, expectedRevision: Int64?, tx: Tx, revision: Int64) throws -> WriteResult<APIKey> {
        let current = try existingKey(id, tx: tx)
        try check(expectedRevision: expectedRevision, current: current.revision, type: "api key")
        guard current.revokedAt == nil else { return WriteResult(value: current, changed: false, change: .key(before: current, after: current)) }
        var revoked = current
        revoked.revokedAt = .now()
        revoked.revision = revision
        try tx.updateAPIKey(revoked)
        return WriteResult(value: revoked, changed: true, change: .key(before: current, after: revoked))
    }

    static func rotateAPIKey<Tx: StoreTransaction>(
        id: String, replacement: APIKey, graceSeconds: Int64, tx: Tx, revision: Int64
    ) throws -> WriteResult<(old: APIKey, new: APIKey)> {
        let current = try existingKey(id, tx: tx)
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
        try tx.insertAPIKey(new)
        try tx.updateAPIKey(old)
        var change = AuditChange.key(before: current, after: old)
        change.after?["replacement"] = new.json(at: now)
        return WriteResult(value: (old, new), changed: true, change: change)
    }

    private static func existingKey<Tx: StoreTransaction>(_ id: String, tx: Tx) throws -> APIKey {
        guard let key = try tx.apiKey(id: id) else { throw ConfigError.notFound(type: APIKey.auditType, id: id) }
        return key
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
