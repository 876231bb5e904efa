import ParleyModel

/// `config.export`: the tenant.
struct ExportConfigParams: ContextFreeParams {
    var tenantId: String

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let tenantId = reader.string("tenant_id", required: true)
        self.tenantId = try reader.finish(tenantId)
    }
}

/// `config.apply`: the tenant, the document (checked by the store), `prune`, `expected_revision`
/// (of the store) and `dry_run`.
struct ApplyConfigParams: ContextFreeParams {
    var tenantId: String
    var document: [String: JSONValue]
    var prune: Bool
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let tenantId = reader.string("tenant_id", required: true)
        let document = reader.object("document", required: true)?.params
        prune = reader.bool("prune") ?? false
        options = WriteOptions(reading: &reader, taking: .expectedRevision)
        (self.tenantId, self.document) = try reader.finish(tenantId, document)
    }
}
