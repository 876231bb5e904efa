import ParleyModel
import ParleyStore

/// `templates.import`: a template in Meta's shape (``TemplateMetaFormat``), as Meta's Graph API
/// returns or accepts it, created in Parley or brought up to date by its key (number, name,
/// language). Meta's `status` and `id`, when given, are recorded as `templates.set_status` records
/// them, as a second change with its own audit record.
enum TemplateImport {
    static let method = Method("templates.import", permission: .tenantWrite) { context, params in
        var reader = ParamReader(params)
        let tenantId = reader.string("tenant_id", required: true)
        let numberId = reader.string("whatsapp_number_id", required: true)
        let template = reader.value("template")
        let dryRun = reader.bool("dry_run") ?? false
        var meta: [String: JSONValue]?
        switch template {
        case .object(let members)?: meta = members
        case nil, .null?: reader.report("template", "is required: one template object as Meta's Graph API gives or takes it")
        case let other?: reader.report("template", "must be an object, not \(other.typeName)")
        }
        try reader.finish()
        let imported = try TemplateMetaFormat.parleyParams(fromMeta: meta!)
        var fields = imported.params
        fields["whatsapp_number_id"] = .string(numberId!)
        var contentReader = ParamReader(fields)
        let content = WhatsAppTemplate.read(from: &contentReader)
        try contentReader.finish()
        let store = context.store
        let existing = try await existingTemplate(content!, tenantId: tenantId!, store: store)
        var action = "unchanged"
        var stored: StoredResource
        if let existing {
            stored = existing
            if existing.fields != content!.fields {
                let changes = content!.fields.filter { !WhatsAppTemplate.immutableFields.contains($0.key) }
                stored = try await store.updateResource(
                    WhatsAppTemplate.self, tenantId: tenantId!, id: existing.id, expectedRevision: nil, changes: changes, dryRun: dryRun, audit: context.audit
                ).resource
                action = "updated"
            }
        } else {
            stored = try await store.createResource(content!, tenantId: tenantId!, state: nil, dryRun: dryRun, audit: context.audit)
            action = "created"
        }
        if let review = try review(from: imported, current: stored), !dryRun || action == "unchanged" {
            stored = try await store.setTemplateStatus(
                tenantId: tenantId!, id: stored.id, review: review, expectedRevision: nil, dryRun: dryRun, audit: context.audit)
            if action == "unchanged" { action = "updated" }
        }
        var result: [String: JSONValue] = [
            "action": .string(action), "template": stored.json, "ignored": .array(imported.ignored.map(JSONValue.string)),
        ]
        if dryRun { result["dry_run"] = true }
        return .object(result)
    }

    /// The stored template with `content`'s key (number, name, language), if any.
    private static func existingTemplate(_ content: WhatsAppTemplate, tenantId: String, store: any ConfigurationStore) async throws -> StoredResource? {
        let query = ResourceQuery(
            limit: 1000, namePrefix: content.name,
            filters: [ResourceFilter(.fields, member: "whatsapp_number_id", value: content.whatsappNumberId), ResourceFilter(.fields, member: "language", value: content.language)])
        return try await store.resources(.template, tenantId: tenantId, query: query).first { $0.fields["name"]?.stringValue == content.name }
    }

    /// Meta's review to record, when Meta's copy says something Parley does not have yet.
    private static func review(from imported: TemplateMetaFormat.Imported, current: StoredResource) throws -> TemplateReview? {
        guard imported.status != nil || imported.metaTemplateId != nil else { return nil }
        let currentStatus = current.state["status"]?.stringValue
        let status = imported.status ?? currentStatus ?? "PENDING"
        guard status != currentStatus || imported.metaTemplateId != current.state["meta_template_id"]?.stringValue else { return nil }
        var reader = ParamReader(["status": .string(status), "meta_template_id": .optional(imported.metaTemplateId)], path: "template")
        guard let review = TemplateReview.read(from: &reader) else { throw ConfigError.invalid(reader.issues) }
        return review
    }
}
