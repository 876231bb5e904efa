import ArgumentParser
import ParleyModel

/// `parley tenants ...`.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants", abstract: "Manage tenants.",
        subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self])

    static let columns = [
        ("ID", "id"), ("SLUG", "slug"), ("NAME", "name"), ("LANGUAGE", "default_language"), ("TIMEZONE", "timezone"),
        ("REVISION", "revision"), ("UPDATED", "updated_at"),
    ]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants (all pages unless --limit is given).")
        @Option(help: "Page size (1-1000); with it, only one page is printed.") var limit: Int?
        @Option(help: "Cursor from a previous page's next_cursor.") var cursor: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                try await global.run { client in
                    var items: [JSONValue] = []
                    var next: String? = cursor
                    repeat {
                        var params: [String: JSONValue] = ["limit": .int(Int64(limit ?? 1000))]
                        if let next { params["cursor"] = .string(next) }
                        let page = try await client.call("tenants.list", params)
                        items += page["items"]?.arrayValue ?? []
                        next = page["next_cursor"]?.stringValue
                        if limit != nil { return ["items": .array(items), "next_cursor": .optional(next)] }
                    } while next != nil
                    return ["items": .array(items), "next_cursor": nil]
                } print: { result in
                    Table.list(result["items"]?.arrayValue ?? [], columns: TenantsCommand.columns)
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant.")
        @Argument(help: "Tenant id.") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                try await global.run { client in
                    try await client.call("tenants.get", ["id": .string(id)])
                } print: {
                    Table.object($0)
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")
        @Option(help: "Unique slug: lower-case letters, digits and '-'.") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "WhatsApp language code, e.g. cs or en_US.") var defaultLanguage: String?
        @Option(help: "IANA time zone, e.g. Europe/Prague.") var timezone: String?
        @Flag(help: "Validate and show the result without storing it.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["slug": .string(slug), "name": .string(name)]
                if let defaultLanguage { params["default_language"] = .string(defaultLanguage) }
                if let timezone { params["timezone"] = .string(timezone) }
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("tenants.create", params)
                } print: {
                    Table.written($0, dryRun: dryRun)
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change fields of a tenant.")
        @Argument(help: "Tenant id.") var id: String
        @Option(help: "New slug.") var slug: String?
        @Option(help: "New display name.") var name: String?
        @Option(help: "New WhatsApp language code.") var defaultLanguage: String?
        @Option(help: "New IANA time zone.") var timezone: String?
        @Option(help: "Clear a field (default_language or timezone); repeatable.") var unset: [String] = []
        @Option(help: "Fail with a conflict unless the tenant is at this revision.") var expectedRevision: Int64?
        @Flag(help: "Validate and show the result without storing it.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["id": .string(id)]
                if let slug { params["slug"] = .string(slug) }
                if let name { params["name"] = .string(name) }
                if let defaultLanguage { params["default_language"] = .string(defaultLanguage) }
                if let timezone { params["timezone"] = .string(timezone) }
                for field in unset { params[field] = .null }
                if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("tenants.update", params)
                } print: {
                    Table.written($0, dryRun: dryRun)
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant.")
        @Argument(help: "Tenant id.") var id: String
        @Option(help: "Fail with a conflict unless the tenant is at this revision.") var expectedRevision: Int64?
        @Flag(help: "Also delete the tenant's configuration and keys (without it, a tenant that has configuration is refused).")
        var cascade = false
        @Flag(help: "Check without deleting.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["id": .string(id)]
                if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
                if cascade { params["cascade"] = true }
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("tenants.delete", params)
                } print: { result in
                    "deleted \(id) at revision \(Table.cell(result["revision"]))" + (dryRun ? " (dry run: nothing was deleted)" : "")
                }
            }
        }
    }
}
