import ParleyModel
import ParleyStore

/// `audit.list`: who changed what, newest first. `ADMIN` sees every record; `TENANT_ADMIN`
/// sees its tenant's only.
enum AuditMethods {
    static let all: [Method] = [
        Method("audit.list", permission: Permission(level: .tenantAdmin, scope: .tenant(required: false), mutates: false), handler: list)
    ]

    static func list(_ context: RequestContext, _ params: ListAuditParams) async throws -> JSONValue {
        let page = params.page
        let records = try await context.store.auditRecords(
            AuditQuery(
                tenantId: params.tenantId ?? context.tenantScope, keyId: params.keyId, method: params.method, since: params.since,
                afterID: page.afterID, limit: page.limit + 1))
        return page.result(records, id: \.id, json: \.json)
    }
}
