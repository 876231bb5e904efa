import ParleyModel

/// `templates.set_status`, `templates.render`, `templates.import` and the Meta form of `templates.get`.
enum TemplateMethods {
    static let all: [Method] = [
        Method("templates.set_status", permission: .tenantWrite, handler: setStatus),
        Method("templates.render", permission: .tenantRead, handler: render),
        TemplateImport.method,
    ]

    static func setStatus(_ context: RequestContext, _ params: SetTemplateStatusParams) async throws -> JSONValue {
        let address = params.address, options = params.options
        return try await context.store.setTemplateStatus(
            tenantId: address.tenantId, id: address.id, review: params.review, expectedRevision: options.expectedRevision,
            dryRun: options.dryRun, audit: context.audit
        ).json
    }

    static func render(_ context: RequestContext, _ params: RenderTemplateParams) async throws -> JSONValue {
        let stored = try await StoredContent.load(
            WhatsAppTemplate.self, tenantId: params.address.tenantId, id: params.address.id, store: context.store)
        let status = stored.resource.state["status"]?.stringValue ?? "PENDING"
        return try TemplateRenderer.render(stored.content, status: status, parameters: params.parameters)
    }

    /// `templates.get` with `"format": "meta"`: the create request Meta accepts for the template.
    static let metaForm: ResourceForm = { resource in
        TemplateMetaFormat.metaPayload(try StoredContent<WhatsAppTemplate>.content(of: resource))
    }
}
