import ParleyModel
import ParleyStore

/// `<family>.create`: the tenant, `dry_run` and the object's fields (read, with their warnings).
struct CreateResourceParams<Content: ServedContent>: ContextFreeParams {
    var tenantId: String
    var options: WriteOptions
    var content: Content
    /// Accepted-but-risky input in the fields, returned with the result.
    var warnings: [ValidationIssue]

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let tenantId = reader.string("tenant_id", required: true)
        options = WriteOptions(reading: &reader)
        let content = Content.read(from: &reader)
        (self.tenantId, self.content) = try reader.finish(tenantId, content)
        warnings = reader.warnings
    }
}

/// `<family>.get`: the object, and the form asked for with `format` (nil: Parley's own; only
/// families with other forms take `format`).
struct GetResourceParams<Content: ServedContent>: ContextFreeParams {
    var address: ObjectAddress
    var form: ResourceForm?

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        let forms = Content.forms
        if !forms.isEmpty, let name = reader.enumeration("format", ["parley"] + forms.keys.sorted(), default: "parley") {
            form = forms[name]
        }
        self.address = try reader.finish(address)
    }
}

/// `<family>.list`: the tenant, the page and the query (one more row than the page, to tell
/// whether another page follows).
struct ListResourcesParams<Content: ServedContent>: ContextFreeParams {
    var tenantId: String
    var page: ListPage
    var query: ResourceQuery

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let kind = Content.kind
        let tenantId = reader.string("tenant_id", required: true)
        page = ListPage(reading: &reader, idPrefix: kind.idPrefix)
        let prefix = reader.string("name_prefix").map { $0.lowercased() }
        let chosen = Content.listFilters.compactMap { $0.read(from: &reader) }
        query = ResourceQuery(afterID: page.afterID, limit: page.limit + 1, namePrefix: prefix, filters: chosen)
        self.tenantId = try reader.finish(tenantId)
    }
}

/// `<family>.delete`: the object, `expected_revision` and `dry_run`.
struct DeleteResourceParams: ContextFreeParams {
    var address: ObjectAddress
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        options = WriteOptions(reading: &reader, taking: .expectedRevision)
        self.address = try reader.finish(address)
    }
}

/// `<family>.delete` of a family whose objects can take others with them (a WhatsApp number its
/// templates): also `cascade`.
struct CascadingDeleteParams: ContextFreeParams {
    var address: ObjectAddress
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        options = WriteOptions(reading: &reader, taking: [.expectedRevision, .cascade])
        self.address = try reader.finish(address)
    }
}
