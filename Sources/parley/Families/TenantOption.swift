import ArgumentParser
import Foundation
import ParleyClient
import ParleyModel

/// `--tenant` (or `PARLEY_TENANT`): the tenant every configuration command works in.
struct TenantOption: ParsableArguments {
    @Option(name: .customLong("tenant"), help: "Tenant id or slug (env PARLEY_TENANT); a tenant-bound key's own tenant when omitted.")
    var tenant: String?

    /// `--tenant`, else `PARLEY_TENANT`; nil when neither is given.
    var reference: String? {
        if let tenant { return tenant }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PARLEY_TENANT"], !fromEnvironment.isEmpty { return fromEnvironment }
        return nil
    }

    /// The tenant id on `client`'s connection: `--tenant` or `PARLEY_TENANT` (an id, or a slug
    /// looked up), else the tenant of a tenant-bound key (hello says which); a usage error for an
    /// ADMIN key that names none.
    func resolved(client: Client) async throws -> String {
        if let reference { return try await TenantReference.resolve(reference, client: client) }
        if let own = CLISession.keyTenant { return own }
        throw CLIError.usage("a tenant is required: pass --tenant (an id or a slug) or set PARLEY_TENANT; an ADMIN key belongs to no tenant")
    }

    /// `params` with `tenant_id` set to ``resolved(client:)``.
    func adding(to params: [String: JSONValue], client: Client) async throws -> [String: JSONValue] {
        var params = params
        params["tenant_id"] = .string(try await resolved(client: client))
        return params
    }
}
