import ArgumentParser
import ParleyModel

/// `parley audit list`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit log: every attempted change, newest first.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit records (100 unless --limit says otherwise).")
        @Option(help: "Only records of this tenant (id or slug).") var tenant: String?
        @Option(help: "Only records made with this key id.") var keyId: String?
        @Option(help: "Only records of this method, e.g. groups.update.") var method: String?
        @Option(help: "Only records at or after this RFC 3339 time.") var since: String?
        @Option(help: "Page size (1-1000, default 100).") var limit: Int = 100
        @Option(help: "Cursor from a previous page's next_cursor.") var cursor: String?
        @OptionGroup var global: GlobalOptions

        static let columns = [
            ("AT", "at"), ("KEY", "key_id"), ("TENANT", "tenant_id"), ("METHOD", "method"), ("TARGET", "target_id"),
            ("OUTCOME", "outcome"), ("ERROR", "error_code"), ("REVISION", "revision"),
        ]

        func run() async throws {
            try await runReporting {
                var params: [String: JSONValue] = ["limit": .int(Int64(limit))]
                if let keyId { params["key_id"] = .string(keyId) }
                if let method { params["method"] = .string(method) }
                if let since { params["since"] = .string(since) }
                if let cursor { params["cursor"] = .string(cursor) }
                try await global.run { client in
                    try await client.call("audit.list", try await TenantReference.adding(tenant, to: params, client: client))
                } print: { result in
                    let table = Table.list(result["items"]?.arrayValue ?? [], columns: Self.columns)
                    guard let next = result["next_cursor"]?.stringValue else { return table }
                    return table + "\n(more: --cursor \(next))"
                }
            }
        }
    }
}
