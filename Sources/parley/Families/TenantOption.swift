import ArgumentParser
import Foundation

/// `--tenant` (or `PARLEY_TENANT`): the tenant every configuration command works in.
struct TenantOption: ParsableArguments {
    @Option(name: .customLong("tenant"), help: "Tenant id (env PARLEY_TENANT).")
    var tenant: String?

    /// The tenant id, or a usage error when none is given.
    func resolved() throws -> String {
        if let tenant { return tenant }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PARLEY_TENANT"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        throw CLIError.usage("a tenant is required: pass --tenant or set PARLEY_TENANT")
    }
}
