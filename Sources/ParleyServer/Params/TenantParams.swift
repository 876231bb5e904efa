import ParleyModel

/// `tenants.create`: the tenant's fields, whether to seed its blocked file types, `dry_run`.
struct CreateTenantParams: ContextFreeParams {
    var input: TenantInput
    var seedBlockedFileTypes: Bool
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let input = TenantInput.read(from: &reader)
        seedBlockedFileTypes = reader.bool("seed_blocked_file_types") ?? true
        options = WriteOptions(reading: &reader)
        self.input = try reader.finish(input)
    }
}

/// `tenants.list`: a page.
struct ListTenantsParams: ContextFreeParams {
    var page: ListPage

    init(reading reader: inout ParamReader) throws(ConfigError) {
        page = ListPage(reading: &reader, idPrefix: Tenant.idPrefix)
        try reader.finish()
    }
}

/// `tenants.update`: the tenant, `expected_revision`, `dry_run` and the changed fields.
struct UpdateTenantParams: ContextFreeParams {
    var id: String
    var options: WriteOptions
    var patch: TenantPatch

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("id", required: true)
        options = WriteOptions(reading: &reader, taking: .expectedRevision)
        patch = TenantPatch.read(from: &reader)
        self.id = try reader.finish(id)
    }
}

/// `tenants.delete`: the tenant, `expected_revision`, `cascade` and `dry_run`.
struct DeleteTenantParams: ContextFreeParams {
    var id: String
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("id", required: true)
        options = WriteOptions(reading: &reader, taking: [.expectedRevision, .cascade])
        self.id = try reader.finish(id)
    }
}
