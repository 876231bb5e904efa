import ArgumentParser
import ParleyModel

/// `parley business-hours check`.
struct CheckBusinessHours: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Whether business hours are open at a moment (default now), and when that next changes.")
    @Argument(help: "Business hours id.") var id: String
    @Option(help: "The moment, RFC 3339 (2026-03-29T01:30:00Z or 2026-03-29T03:30:00+02:00).") var at: String?
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            var params: [String: JSONValue] = ["id": .string(id)]
            if let at { params["at"] = .string(at) }
            try await global.run { client in
                try await client.call("business_hours.check", try await tenant.adding(to: params, client: client))
            } print: { result in
                let state = result["open"]?.boolValue == true ? "open" : "closed"
                let next = result["next_change_local"]?.stringValue.map { "until \($0)" } ?? "for the next 14 days at least"
                return "\(state) \(next) (\(result["local_time"]?.stringValue ?? ""), \(result["timezone"]?.stringValue ?? ""))"
            }
        }
    }
}
