import ParleyModel
import ParleyStore

/// `templates.import`: a template in Meta's shape (``TemplateMetaFormat``), as Meta's Graph API
/// returns or accepts it, created in Parley or brought up to date by its key (number, name,
/// language). Meta's `status` and `id`, when given, are recorded as `templates.set_status` records
/// them, as a second change with its own audit record.
enum TemplateImport {
    static let method = Method("templates.import", permission: .tenantWrite, handler: run)

    /// Imports the template of `params`.
    static func run(_ context: RequestContext, _ params: ImportTemplateParams) async throws -> JSONValue {
        let tenantId = params.tenantId, dryRun = params.options.dryRun
        let imported = try TemplateMetaFormat.parleyParams(fromMeta: params.meta)
        var fields = imported.params
        fields["whatsapp_number_id"] = .string(params.whatsappNumberId)
        var contentReader = ParamReader(fields)
        let read = WhatsAppTemplate.read(from: &contentReader)
        let content = try contentReader.finish(read)
        let store = context.store
        let existing = try await existingTemplate(content, tenantId: tenantId, store: store)
        var action = "unchanged"
        var stored: StoredResource
        if let existing {
            stored = existing
            if existing.fields != content.fields {
                let changes = content.fields.filter { !WhatsAppTemplate.immutableFields.contains($0.key) }
                stored = try await store.updateResource(
                    WhatsAppTemplate.self, tenantId: tenantId, id: existing.id, expectedRevision: nil, changes: changes, dryRun: dryRun, audit: context.audit
                ).resource
                action = "updated"
            }
        } else {
            stored = try await store.createResource(content, tenantId: tenantId, state: nil, dryRun: dryRun, audit: context.audit)
            action = "created"
        }
        if let review = try review(from: imported, current: stored), !dryRun || action == "unchanged" {
            stored = try await store.setTemplateStatus(
                tenantId: tenantId, id: stored.id, review: review, expectedRevision: nil, dryRun: dryRun, audit: context.audit)
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
            filters: [
                ResourceFilter(.fields, member: "whatsapp_number_id", value: content.whatsappNumberId),
                ResourceFilter(.fields, member: "language", value: content.language),
            ])
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
