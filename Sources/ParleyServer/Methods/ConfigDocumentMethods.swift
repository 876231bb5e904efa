import ParleyModel

/// `config.export` and `config.apply`.
enum ConfigDocumentMethods {
    static let all: [Method] = [
        Method("config.export", permission: .tenantRead, handler: export),
        Method("config.apply", permission: .tenantWrite, handler: apply),
    ]

    static func export(_ context: RequestContext, _ params: ExportConfigParams) async throws -> JSONValue {
        try await context.store.exportConfiguration(tenantId: params.tenantId)
    }

    static func apply(_ context: RequestContext, _ params: ApplyConfigParams) async throws -> JSONValue {
        try await context.store.applyConfiguration(
            tenantId: params.tenantId, document: params.document, prune: params.prune, expectedRevision: params.options.expectedRevision,
            dryRun: params.options.dryRun, audit: context.audit)
    }
}
