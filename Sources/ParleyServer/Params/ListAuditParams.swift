import ParleyModel

/// `audit.list`: the tenant (absent: the calling key's, or every tenant's for `ADMIN`), who
/// called which method since when, and a page.
struct ListAuditParams: ContextFreeParams {
    /// The tenant named; the handler falls back to the caller's.
    var tenantId: String?
    var keyId: String?
    var method: String?
    var since: Timestamp?
    var page: ListPage

    init(reading reader: inout ParamReader) throws(ConfigError) {
        tenantId = reader.string("tenant_id")
        keyId = reader.string("key_id")
        method = reader.string("method")
        if let text = reader.string("since") {
            since = Timestamp(rfc3339: text)
            if since == nil { reader.report("since", "must be an RFC 3339 time such as 2026-11-01T00:00:00Z") }
        }
        page = ListPage(reading: &reader, idPrefix: AuditRecord.idPrefix)
        try reader.finish()
    }
}
