import ParleyModel

/// `templates.set_status`, `templates.render`, `templates.import` and the Meta form of `templates.get`.
enum TemplateMethods {
    static let all: [Method] = [
        Method("templates.set_status", permission: .tenantWrite) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let id = reader.string("id", required: true)
            let review = TemplateReview.read(from: &reader)
            let expected = reader.integer("expected_revision", in: 0...Int64.max)
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            return try await context.store.setTemplateStatus(
                tenantId: tenantId!, id: id!, review: review!, expectedRevision: expected, dryRun: dryRun, audit: context.audit
            ).json
        },
        Method("templates.render", permission: .tenantRead) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let id = reader.string("id", required: true)
            let parameters = reader.value("parameters")
            try reader.finish()
            let stored = try await StoredContent.load(WhatsAppTemplate.self, tenantId: tenantId!, id: id!, store: context.store)
            let status = stored.resource.state["status"]?.stringValue ?? "PENDING"
            return try TemplateRenderer.render(stored.content, status: status, parameters: parameters)
        },
        TemplateImport.method,
    ]

    /// `templates.get` with `"format": "meta"`: the create request Meta accepts for the template.
    static let metaForm: ResourceMethods.Form = { resource in
        TemplateMetaFormat.metaPayload(try StoredContent<WhatsAppTemplate>.content(of: resource))
    }
}
