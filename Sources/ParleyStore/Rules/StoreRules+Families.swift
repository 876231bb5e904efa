import ParleyModel

/// The rules of single families that need stored state: fallback cycles of groups, the per-WABA
/// uniqueness of templates, and the server-kept state of templates and blocked types.
extension StoreRules {
    /// Families whose objects `cascade: true` deletes together with the object they refer to.
    static func cascadingKinds(of kind: ResourceKind) -> Set<ResourceKind> {
        kind == .whatsappNumber ? [.template] : []
    }

    /// The state a new object starts with.
    static func initialState(_ kind: ResourceKind, at time: Timestamp) -> [String: JSONValue] {
        switch kind {
        case .template:
            [
                "status": "PENDING", "status_reason": .null, "status_updated_at": .string(time.rfc3339), "approved_at": .null,
                "rejected_reason": .null, "previous_category": .null, "meta_template_id": .null, "quality_score": .null,
                "edits_while_approved": [],
            ]
        case .blockedFileType:
            ["source": "USER"]
        default:
            [:]
        }
    }

    /// The state after a content change to `fields`: a template is edited only as Meta allows
    /// (``TemplateEditRules``) and goes back to PENDING review, its edits while APPROVED counted;
    /// an edited default blocked type becomes the tenant's own.
    static func stateAfterContentChange(_ current: StoredResource, fields: [String: JSONValue]) throws -> [String: JSONValue] {
        var state = current.state
        switch current.kind {
        case .template:
            let now = Timestamp.now()
            let status = state["status"]?.stringValue ?? "PENDING"
            let edits = (state["edits_while_approved"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(Timestamp.init(rfc3339:)) }
            if let refusal = TemplateEditRules.refusal(
                status: status, approvedEdits: edits, changesCategory: fields["category"] != current.fields["category"], at: now)
            {
                throw ConfigError.conflict(reason: refusal.reason, message: "template \(current.id): \(refusal.message)")
            }
            if status == "APPROVED" {
                state["edits_while_approved"] = .array((TemplateEditRules.recent(edits, at: now) + [now]).map { .string($0.rfc3339) })
            }
            state["status"] = "PENDING"
            state["status_reason"] = .null
            state["rejected_reason"] = .null
            state["status_updated_at"] = .string(now.rfc3339)
        case .blockedFileType:
            state["source"] = "USER"
        default:
            break
        }
        return state
    }

    /// Checks that span objects, after `resource` was written (inside the same transaction).
    /// `fallbackChains: false` when the caller checked every chain of the tenant already (apply).
    static func checkFamilyRules<Tx: StoreTransaction>(
        _ resource: StoredResource, previous: StoredResource? = nil, fallbackChains: Bool = true, tx: Tx
    ) throws {
        switch resource.kind {
        case .group:
            if fallbackChains { try checkFallbackChain(of: resource, tx: tx) }
        case .template:
            try storeTemplateKey(resource, tx: tx)
        case .whatsappNumber:
            if let previous, previous.fields["waba_id"] != resource.fields["waba_id"] {
                for template in try tx.referrers(of: resource.id) where template.kind == .template {
                    try storeTemplateKey(existingResource(.template, tenantId: resource.tenantId, id: template.id, tx: tx), tx: tx)
                }
            }
        default:
            break
        }
    }

    /// A group's fallback is not the group itself, and following fallbacks never comes back to it
    /// (``FallbackChains``); one lookup per group along the chain.
    static func checkFallbackChain<Tx: StoreTransaction>(of group: StoredResource, tx: Tx) throws {
        guard case .string(let first)? = group.fields["fallback_group_id"] else { return }
        let cycle = try FallbackChains.cycle(from: group.id) { id in id == group.id ? first : try tx.fallbackTarget(of: id) }
        guard let cycle, cycle.first == group.id else { return }
        throw ConfigError.invalid([ValidationIssue(path: "fallback_group_id", message: FallbackChains.message(cycle))])
    }

    /// A template's name and language are unique within the WhatsApp Business Account of its
    /// number. The key is kept per tenant, so a clash never reveals another tenant's templates.
    static func storeTemplateKey<Tx: StoreTransaction>(_ template: StoredResource, tx: Tx) throws {
        guard case .string(let numberId)? = template.fields["whatsapp_number_id"],
            case .string(let name)? = template.fields["name"], case .string(let language)? = template.fields["language"]
        else { return }
        let number = try existingResource(.whatsappNumber, tenantId: template.tenantId, id: numberId, tx: tx)
        guard case .string(let waba)? = number.fields["waba_id"] else { return }
        let key = UniqueKey(
            scope: .tenant, name: "waba_name_language", value: "\(waba)|\(name)|\(language)", field: "name",
            message: "a template named \"\(name)\" in language \(language) already exists in WhatsApp Business Account \(waba)")
        try storeKeys([key], kind: .template, tenantId: template.tenantId, id: template.id, replacing: [key.name], tx: tx)
    }
}
