import ParleyModel
import ParleyStore

/// `audit.list`: who changed what, newest first. `ADMIN` sees every record; `TENANT_ADMIN`
/// sees its tenant's only.
enum AuditMethods {
    static let all: [Method] = [
        Method("audit.list", permission: Permission(level: .tenantAdmin, scope: .tenant(required: false), mutates: false)) {
            context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id") ?? context.tenantScope
            let keyId = reader.string("key_id")
            let method = reader.string("method")
            var since: Timestamp?
            if let text = reader.string("since") {
                since = Timestamp(rfc3339: text)
                if since == nil { reader.report("since", "must be an RFC 3339 time such as 2026-11-01T00:00:00Z") }
            }
            let page = ListPage(reading: &reader, idPrefix: AuditRecord.idPrefix)
            try reader.finish()
            let records = try await context.store.auditRecords(
                AuditQuery(tenantId: tenantId, keyId: keyId, method: method, since: since, afterID: page.afterID, limit: page.limit + 1))
            return page.result(records, id: \.id, json: \.json)
        }
    ]
}
