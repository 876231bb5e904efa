import ArgumentParser
import ParleyModel

/// `parley keys ...`: API keys. Tokens are printed once, by `create` and `rotate`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys.", subcommands: [List.self, Get.self, Create.self, Revoke.self, Rotate.self])

    static let columns = [
        ("ID", "id"), ("NAME", "name"), ("ROLE", "role"), ("TENANT", "tenant_id"), ("STATUS", "status"), ("EXPIRES", "expires_at"),
        ("LAST USED", "last_used_at"),
    ]

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (of one tenant with --tenant).")
        @Option(help: "Only keys of this tenant (id or slug).") var tenant: String?
        @Option(help: "ACTIVE, EXPIRED or REVOKED.") var status: String?
        @Option(help: "Page size (1-1000); with it, only one page is printed.") var limit: Int?
        @Option(help: "Cursor from a previous page's next_cursor.") var cursor: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = [:]
                if let status { params["status"] = .string(status) }
                try await global.run { client in
                    try await client.collectPages(
                        "api_keys.list", try await TenantReference.adding(tenant, to: params, client: client), limit: limit, cursor: cursor)
                } print: {
                    Table.list($0["items"]?.arrayValue ?? [], columns: KeysCommand.columns)
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one key's metadata.")
        @Argument(help: "Key id (the middle part of prly_<id>_<secret>).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                try await global.run { client in
                    try await client.call("api_keys.get", ["id": .string(id)])
                } print: {
                    Table.object($0)
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key. The key is printed once, on stdout, alone: store it now.")
        @Option(help: "A name saying who or what uses the key.") var name: String
        @Option(help: "ADMIN, TENANT_ADMIN or TENANT_READER.") var role: String
        @Option(help: "The tenant (id or slug) of a TENANT_ADMIN or TENANT_READER key (a tenant admin's own tenant by default).") var tenant: String?
        @Option(help: "When the key stops working (RFC 3339, e.g. 2027-01-31T00:00:00Z).") var expiresAt: String?
        @Flag(help: "Validate without creating anything.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["name": .string(name), "role": .string(role)]
                if let expiresAt { params["expires_at"] = .string(expiresAt) }
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("api_keys.create", try await TenantReference.adding(tenant, to: params, client: client))
                } print: { result in
                    KeysCommand.announce(result, dryRun: dryRun)
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key at once; connections using it are closed.")
        @Argument(help: "Key id.") var id: String
        @Flag(help: "Check without revoking.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["id": .string(id)]
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("api_keys.revoke", params)
                } print: {
                    Table.object($0)
                }
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a key: the new key is printed once; the old one keeps working for --grace-seconds.")
        @Argument(help: "Key id.") var id: String
        @Option(help: "Seconds the old key keeps working (0-604800, default 86400; 0 = stops now).") var graceSeconds: Int64?
        @Flag(help: "Check without rotating.") var dryRun = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["id": .string(id)]
                if let graceSeconds { params["grace_seconds"] = .int(graceSeconds) }
                if dryRun { params["dry_run"] = true }
                try await global.run { client in
                    try await client.call("api_keys.rotate", params)
                } print: { result in
                    let old = result["previous"]
                    printError("old key \(Table.cell(old?["id"])) stops working at \(Table.cell(old?["expires_at"]))")
                    return KeysCommand.announce(result, dryRun: dryRun)
                }
            }
        }
    }

    /// The token alone on stdout (for `KEY=$(parley keys create ...)`), the metadata on stderr.
    static func announce(_ result: JSONValue, dryRun: Bool) -> String {
        let key = result["key"]
        printError(
            "\(dryRun ? "would create" : "created") key \(Table.cell(key?["id"])) (\(Table.cell(key?["role"]))"
                + (key?["tenant_id"]?.stringValue.map { ", tenant \($0)" } ?? "") + "); it is shown only this once")
        return result["api_key"]?.stringValue ?? "(dry run: no key was created)"
    }
}
