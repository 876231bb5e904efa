import ParleyModel

/// `config.export` and `config.apply`.
enum ConfigDocumentMethods {
    static let all: [Method] = [
        Method("config.export", permission: .tenantRead) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            try reader.finish()
            return try await context.store.exportConfiguration(tenantId: tenantId!)
        },
        Method("config.apply", permission: .tenantWrite) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let document = reader.object("document", required: true)
            let prune = reader.bool("prune") ?? false
            let expected = reader.integer("expected_revision", in: 0...Int64.max)
            let dryRun = reader.bool("dry_run") ?? false
            try reader.finish()
            return try await context.store.applyConfiguration(
                tenantId: tenantId!, document: document!.params, prune: prune, expectedRevision: expected, dryRun: dryRun,
                audit: context.audit)
        },
    ]
}
