import ParleyModel

/// Templates: Meta's review status, and the first approval (after which the content is immutable).
extension StoreRules {
    /// Records Meta's review: the status, the reasons, Meta's id and quality score, and a category
    /// Meta moved the template to (the content's `category`; the old one is kept as
    /// `previous_category`, and the time-to-live is cleared, as Meta clears it). Recording the same
    /// again changes nothing.
    static func setTemplateStatus<Tx: StoreTransaction>(
        tenantId: String, id: String, review: TemplateReview, expectedRevision: Int64?, tx: Tx, revision: Int64
    ) throws -> WriteResult<StoredResource> {
        let current = try existingResource(.template, tenantId: tenantId, id: id, tx: tx)
        try check(expectedRevision: expectedRevision, current: current.revision, type: "template")
        let now = Timestamp.now()
        var updated = current
        let status = review.status.rawValue
        if current.state["status"] != .string(status) || current.state["status_reason"] != .optional(review.reason) {
            updated.state["status"] = .string(status)
            updated.state["status_reason"] = .optional(review.reason)
            updated.state["status_updated_at"] = .string(now.rfc3339)
        }
        updated.state["rejected_reason"] = review.status == .rejected ? .optional(review.rejectedReason?.rawValue) : .null
        if let metaId = review.metaTemplateId { updated.state["meta_template_id"] = .string(metaId) }
        if let quality = review.qualityScore { updated.state["quality_score"] = .string(quality.rawValue) }
        if let category = review.category, current.fields["category"] != .string(category.rawValue) {
            updated.state["previous_category"] = current.fields["category"] ?? .null
            updated.fields["category"] = .string(category.rawValue)
            updated.fields["message_send_ttl_seconds"] = .null
        }
        if status == "APPROVED", updated.state["approved_at"]?.isNull ?? true {
            updated.state["approved_at"] = .string(now.rfc3339)
        }
        guard updated.state != current.state || updated.fields != current.fields else {
            return WriteResult(value: current, changed: false, change: .resource(current, current))
        }
        updated.revision = revision
        updated.updatedAt = now
        try tx.updateResource(updated, nameKey: nil)
        return WriteResult(value: updated, changed: true, change: .resource(current, updated))
    }
}
