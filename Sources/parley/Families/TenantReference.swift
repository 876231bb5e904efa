import ParleyClient
import ParleyModel
import ParleyProtocol

/// A tenant named on the command line by id (`tnt_...`) or by slug.
enum TenantReference {
    /// `params` with `tenant_id` set to the tenant `reference` names (an id or a slug), when given.
    static func adding(_ reference: String?, to params: [String: JSONValue], client: Client) async throws -> [String: JSONValue] {
        guard let reference else { return params }
        var params = params
        params["tenant_id"] = .string(try await resolve(reference, client: client))
        return params
    }

    /// The tenant id for `reference`, looking a slug up with `tenants.list` (every tenant for an
    /// ADMIN key; a tenant-bound key sees its own tenant only, so another tenant's slug is not found).
    static func resolve(_ reference: String, client: Client) async throws -> String {
        if Identifier.isWellFormed(reference, prefix: Tenant.idPrefix) { return reference }
        let tenants: JSONValue
        do {
            tenants = try await client.collectPages("tenants.list", [:], limit: nil, cursor: nil)
        } catch let error as RPCError where error.code == .forbidden {
            throw CLIError.usage("only an ADMIN key can look a tenant up by slug; pass the tenant id (tnt_...) instead of \(reference)")
        }
        guard let match = tenants["items"]?.arrayValue?.first(where: { $0["slug"]?.stringValue == reference }),
            let id = match["id"]?.stringValue
        else {
            // Not found, as the server says of a missing id (exit 5), not a usage error: the
            // command was well formed, the tenant is not there (or not visible to this key).
            throw RPCError(.notFound, "tenant \(reference) not found (no tenant has that slug, or the key cannot see it)")
        }
        return id
    }
}
