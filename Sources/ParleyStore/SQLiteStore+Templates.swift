import GRDB
import ParleyModel

extension SQLiteStore {
    /// Records Meta's review decision. Setting the same status and reason again changes nothing.
    public func setTemplateStatus(
        tenantId: String, id: String, status: String, reason: String?, expectedRevision: Int64?, dryRun: Bool, audit: AuditContext
    ) async throws -> StoredResource {
        try await write(dryRun: dryRun, audit: audit) { db, revision in
            let current = try Self.fetchResource(.template, tenantId: tenantId, id: id, db: db).model()
            try Self.check(expectedRevision: expectedRevision, current: current.revision, type: "template")
            guard current.state["status"] != .string(status) || current.state["status_reason"] != .optional(reason) else {
                return WriteResult(value: current, changed: false, change: .resource(current, current))
            }
            let now = Timestamp.now()
            var updated = current
            updated.state["status"] = .string(status)
            updated.state["status_reason"] = .optional(reason)
            updated.state["status_updated_at"] = .string(now.rfc3339)
            if status == "APPROVED", updated.state["approved_at"]?.isNull ?? true {
                updated.state["approved_at"] = .string(now.rfc3339)
            }
            updated.revision = revision
            updated.updatedAt = now
            let nameKey = try db.fetchOneCached(String.self, "SELECT name_key FROM resources WHERE id = ?", [id]) ?? ""
            try ResourceRecord(updated, nameKey: nameKey).update(db)
            return WriteResult(value: updated, changed: true, change: .resource(current, updated))
        }
    }
}
