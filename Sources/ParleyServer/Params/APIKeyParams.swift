import ParleyAuth
import ParleyModel

/// `api_keys.create`: the key's name, role, tenant and expiry, and `dry_run`.
///
/// Its reading depends on the caller: an absent `tenant_id` is the calling key's tenant, and
/// the role is checked against the tenant that results.
struct CreateAPIKeyParams: MethodParams {
    var name: String
    var role: Role
    /// The tenant the key is bound to; nil for an `ADMIN` key.
    var tenantId: String?
    /// When the key expires, as asked (capped by the creating key's own expiry).
    var expiresAt: Timestamp?
    var options: WriteOptions

    init(reading reader: inout ParamReader, for context: RequestContext) throws(ConfigError) {
        let name = TextRules.displayText(reader.string("name", required: true), field: "name", lengths: 1...100, into: &reader)
        let role = reader.enumeration("role", Role.allCases.map(\.rawValue), required: true).flatMap(Role.init(rawValue:))
        tenantId = reader.string("tenant_id") ?? context.tenantScope
        expiresAt = KeyParams.expiry(&reader)
        options = WriteOptions(reading: &reader)
        if let role {
            if role == .admin, tenantId != nil { reader.report("tenant_id", "must be absent for an ADMIN key (ADMIN keys are platform-wide)") }
            if role != .admin, tenantId == nil { reader.report("tenant_id", "is required for a \(role.rawValue) key") }
        }
        (self.name, self.role) = try reader.finish(name, role)
    }
}

/// `api_keys.list`: the tenant (absent: the calling key's, or every tenant's for `ADMIN`), a
/// status and a page.
struct ListAPIKeysParams: ContextFreeParams {
    /// The tenant named; the handler falls back to the caller's.
    var tenantId: String?
    var status: String?
    var page: ListPage

    init(reading reader: inout ParamReader) throws(ConfigError) {
        tenantId = reader.string("tenant_id")
        status = reader.enumeration("status", ["ACTIVE", "EXPIRED", "REVOKED"])
        page = ListPage(reading: &reader) { APIKeyToken.isKeyID($0) }
        try reader.finish()
    }
}

/// `api_keys.revoke`: the key, `expected_revision` and `dry_run`.
struct RevokeAPIKeyParams: ContextFreeParams {
    var id: String
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("id", required: true)
        options = WriteOptions(reading: &reader, taking: .expectedRevision)
        self.id = try reader.finish(id)
    }
}

/// `api_keys.rotate`: the key, how long the old key keeps working, and `dry_run`.
struct RotateAPIKeyParams: ContextFreeParams {
    var id: String
    var graceSeconds: Int64
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("id", required: true)
        graceSeconds = reader.integer("grace_seconds", in: 0...KeyParams.maximumGraceSeconds) ?? KeyParams.defaultGraceSeconds
        options = WriteOptions(reading: &reader)
        self.id = try reader.finish(id)
    }
}
