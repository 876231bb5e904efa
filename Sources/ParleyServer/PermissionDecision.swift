import ParleyModel
import ParleyProtocol

/// The outcome of checking a call against its method's ``Permission``.
enum PermissionDecision: Sendable, Hashable {
    /// Allowed; `tenant` is the only tenant the call may see (nil: every tenant, for `ADMIN`).
    case allowed(tenant: String?)
    /// Allowed if the API key named by `keyId` belongs to `tenant` (checked against the store).
    case allowedIfKeyIn(tenant: String, keyId: String)
    case refused(RPCError)
}

extension Permission {
    /// Decides what `session` (nil before `hello`) may do with a call carrying `params`.
    func decide(_ session: Session?, method: String, params: [String: JSONValue]) -> PermissionDecision {
        guard level > .anyone else { return .allowed(tenant: nil) }
        guard let session else { return .refused(.helloRequired) }
        guard level > .authenticated else { return .allowed(tenant: nil) }
        if session.role == .admin { return .allowed(tenant: nil) }
        let forbidden = Self.forbidden(method)
        guard level < .admin, let own = session.tenantId else { return .refused(forbidden) }
        switch scope {
        case .platform:
            return .refused(forbidden)
        case .tenant:
            if case .string(let named)? = params["tenant_id"], named != own {
                return .refused(RPCError(ConfigError.notFound(type: "tenant", id: named)))
            }
        case .apiKey:
            if case .string(let keyId)? = params["id"] { return .allowedIfKeyIn(tenant: own, keyId: keyId) }
        case .ownTenant:
            if case .string(let named)? = params["id"], named != own {
                return .refused(RPCError(ConfigError.notFound(type: "tenant", id: named)))
            }
        }
        return roleCheck(session, method: method, params: params, tenant: own)
    }

    /// The role part of the decision, once the call is known to stay in the key's tenant.
    func roleCheck(_ session: Session, method: String, params: [String: JSONValue], tenant: String) -> PermissionDecision {
        guard Level(session.role) >= level else { return .refused(Self.forbidden(method)) }
        if let adminOnly, case .string(let value)? = params[adminOnly.param], adminOnly.values.contains(value) {
            return .refused(RPCError(.forbidden, "only an ADMIN key may set \(adminOnly.param) to \(value)"))
        }
        return .allowed(tenant: tenant)
    }

    static func forbidden(_ method: String) -> RPCError {
        RPCError(.forbidden, "this key's role may not call \(method)")
    }
}
