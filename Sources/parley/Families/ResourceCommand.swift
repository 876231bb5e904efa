import ArgumentParser
import ParleyModel

/// `parley <family> list|get|create|update|delete` for one configuration family.
struct ResourceCommand<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Family.commandName, abstract: "Manage \(Family.plural) of a tenant.",
            subcommands: [
                ListResources<Family>.self, GetResource<Family>.self, CreateResource<Family>.self,
                UpdateResource<Family>.self, DeleteResource<Family>.self,
            ] + Family.extraCommands)
    }
}

struct ListResources<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        let filters = Family.filters.isEmpty ? "" : " Filters: \(Family.filters.joined(separator: ", "))."
        return CommandConfiguration(commandName: "list", abstract: "List \(Family.plural) (all pages unless --limit is given).\(filters)")
    }

    @Option(help: "Only names starting with this (ignoring case).") var namePrefix: String?
    @Option(name: .customLong("filter"), help: ArgumentHelp("Filter on a field; repeatable.", valueName: "field=value"))
    var filters: [String] = []
    @Option(help: "Page size (1-1000); with it, only one page is printed.") var limit: Int?
    @Option(help: "Cursor from a previous page's next_cursor.") var cursor: String?
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            var params: [String: JSONValue] = [:]
            if let namePrefix { params["name_prefix"] = .string(namePrefix) }
            for filter in filters {
                guard let equals = filter.firstIndex(of: "=") else { throw CLIError.usage("--filter expects field=value") }
                params[String(filter[..<equals])] = .string(String(filter[filter.index(after: equals)...]))
            }
            try await global.run { client in
                try await client.collectPages("\(Family.family).list", try await tenant.adding(to: params, client: client), limit: limit, cursor: cursor)
            } print: { result in
                Table.list(result["items"]?.arrayValue ?? [], columns: Family.columns)
            }
        }
    }
}

struct GetResource<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "get", abstract: "Show one \(Family.noun).") }
    @Argument(help: "The id.") var id: String
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            let params: [String: JSONValue] = ["id": .string(id)]
            try await global.run { client in
                try await client.call("\(Family.family).get", try await tenant.adding(to: params, client: client))
            } print: {
                Table.object($0)
            }
        }
    }
}

struct CreateResource<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "create", abstract: "Create \(Family.noun.withArticle) from --file and/or --set fields.")
    }
    @OptionGroup var input: FieldInput
    @Flag(help: "Validate and show the result without storing it.") var dryRun = false
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            _ = try input.given()
            try await global.run { client in
                var params = try await input.fields(for: "\(Family.family).create", client: client)
                if dryRun { params["dry_run"] = true }
                return try await client.call("\(Family.family).create", try await tenant.adding(to: params, client: client))
            } print: {
                Table.written($0, dryRun: dryRun)
            }
        }
    }
}

struct UpdateResource<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "update",
            abstract: "Change fields of \(Family.noun.withArticle); fields not named keep their value, nested objects are replaced whole.")
    }
    @Argument(help: "The id.") var id: String
    @OptionGroup var input: FieldInput
    @Option(help: "Fail with a conflict unless the object is at this revision.") var expectedRevision: Int64?
    @Flag(help: "Validate and show the result without storing it.") var dryRun = false
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            _ = try input.given()
            try await global.run { client in
                var params = try await input.fields(for: "\(Family.family).update", client: client)
                params["id"] = .string(id)
                if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
                if dryRun { params["dry_run"] = true }
                return try await client.call("\(Family.family).update", try await tenant.adding(to: params, client: client))
            } print: {
                Table.written($0, dryRun: dryRun)
            }
        }
    }
}

struct DeleteResource<Family: CLIFamily>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: "Delete \(Family.noun.withArticle).")
    }
    @Argument(help: "The id.") var id: String
    @Option(help: "Fail with a conflict unless the object is at this revision.") var expectedRevision: Int64?
    @Flag(help: "Also delete what depends on it (WhatsApp numbers: their templates).") var cascade = false
    @Flag(help: "Check without deleting.") var dryRun = false
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if cascade, !Family.cascades { throw ValidationError("--cascade applies to whatsapp-numbers only") }
    }

    func run() async throws {
        try await runReporting {
            var params: [String: JSONValue] = ["id": .string(id)]
            if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
            if cascade { params["cascade"] = true }
            if dryRun { params["dry_run"] = true }
            try await global.run { client in
                try await client.call("\(Family.family).delete", try await tenant.adding(to: params, client: client))
            } print: { result in
                var lines = ["deleted \(id) at revision \(Table.cell(result["revision"]))" + (dryRun ? " (dry run: nothing was deleted)" : "")]
                for item in result["cascaded"]?.arrayValue ?? [] {
                    lines.append("  with \(Table.cell(item["type"])) \(Table.cell(item["id"])) \(Table.cell(item["name"]))")
                }
                return lines.joined(separator: "\n")
            }
        }
    }
}
