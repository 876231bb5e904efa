import ParleyAuth
import ParleyModel

extension TestServer {
    /// Issues a key with `role` (bound to `tenantId` for tenant roles) and returns its token.
    public func issueKey(role: Role, tenantId: String? = nil, name: String = "test key") async throws -> String {
        try await KeyIssuer(store: store, pool: pool).issue(name: name, role: role, tenantId: tenantId, audit: .system("test.setup")).token.text
    }
}
