import ParleyModel
import ParleyProtocol
import ParleyStore

/// Names what a call acts on, for its audit record, from the method name and params.
enum AuditTarget {
    /// The object type of a method family (`groups.update` -> `group`).
    static func type(ofMethod method: String) -> String? {
        let family = method.split(separator: ".").first.map(String.init) ?? method
        if let kind = ResourceKind.all.first(where: { $0.family == family }) { return kind.type }
        switch family {
        case "tenants": return "tenant"
        case "api_keys": return APIKey.auditType
        default: return nil
        }
    }

    static func context(for request: RPCRequest, session: Session?) -> AuditContext {
        let id = request.params["id"]?.stringValue
        let type = type(ofMethod: request.method)
        let tenant = type == "tenant" ? id : request.params["tenant_id"]?.stringValue ?? session?.tenantId
        return AuditContext(keyId: session?.keyID, method: request.method, tenantId: tenant, targetType: type, targetId: id)
    }
}
