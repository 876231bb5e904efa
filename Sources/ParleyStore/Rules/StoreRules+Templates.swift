import ParleyModel

/// Templates: Meta's review status, and the first approval (after which the content is immutable).
extension StoreRules {
    /// Records Meta's review decision. Setting the same status and reason again changes nothing.
    static func setTemplateStatus<Tx: StoreTransaction>(
        tenantId: String, id: String, status: String, reason: String?, expectedRevision: Int64?, tx: Tx, revision: Int64
    ) throws -> WriteResult<StoredResource> {
        let current = try existingResource(.template, tenantId: tenantId, id: id, tx: tx)
        try check(expectedRevision: expectedRevision, current: current.revision, type: "template")
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
        try tx.updateResource(updated, nameKey: nil)
        return WriteResult(value: updated, changed: true, change: .resource(current, updated))
    }
}
