import ParleyClient
import ParleyProtocol
import ParleyModel

/// A tenant named on the command line by id (`tnt_...`) or by slug.
enum TenantReference {
    /// The tenant id for `reference`, looking a slug up with `tenants.list` (an ADMIN call).
    static func resolve(_ reference: String, client: ParleyClient) async throws -> String {
        if Identifier.isWellFormed(reference, prefix: Tenant.idPrefix) { return reference }
        let tenants: JSONValue
        do {
            tenants = try await client.collectPages("tenants.list", [:], limit: nil, cursor: nil)
        } catch let error as RPCError where error.code == .forbidden {
            throw CLIError.usage("only an ADMIN key can look a tenant up by slug; pass the tenant id (tnt_...) instead of \(reference)")
        }
        guard let match = tenants["items"]?.arrayValue?.first(where: { $0["slug"]?.stringValue == reference }),
            let id = match["id"]?.stringValue
        else { throw CLIError.usage("no tenant with slug \(reference)") }
        return id
    }
}
