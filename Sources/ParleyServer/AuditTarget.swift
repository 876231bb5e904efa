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
        case "config": return "tenant"
        default: return nil
        }
    }

    /// The audit context of a mutating call. A tenant-bound key's records stay in its own
    /// tenant's log, whatever tenant it named (another tenant never sees them), and values
    /// taken from params are cut to a bounded length.
    static func context(for request: RPCRequest, session: Session?) -> AuditContext {
        let id = request.params["id"]?.stringValue.map { TextRules.shortened($0) }
        let type = type(ofMethod: request.method)
        let named = (request.method.hasPrefix("tenants.") ? id : request.params["tenant_id"]?.stringValue).map { TextRules.shortened($0) }
        let tenant = session?.tenantId ?? named
        let target = request.method.hasPrefix("config.") ? tenant : id
        return AuditContext(keyId: session?.keyID, method: request.method, tenantId: tenant, targetType: type, targetId: target)
    }

}
