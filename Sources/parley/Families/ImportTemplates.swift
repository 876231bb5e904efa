import ArgumentParser
import ParleyClient
import ParleyModel
import ParleyProtocol

/// `parley templates import -f FILE --number ID`: templates in Meta's shape, one object or Meta's
/// list response (`{"data": [...]}`), each created, brought up to date or refused on its own.
struct ImportTemplates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import templates in Meta's shape (one template, or Meta's {\"data\": [...]} list) into a WhatsApp number.",
        discussion: "Each template is reported: created, updated, unchanged or refused (with why). Exits 0 when none was refused, 2 otherwise.")
    @Option(name: [.short, .customLong("file")], help: "A JSON or YAML file: one template object as Meta's Graph API gives it, or Meta's list response.")
    var file: String
    @Option(help: "The WhatsApp number (wan_...) the templates belong to.") var number: String
    @Flag(help: "Show what would change without storing it.") var dryRun = false
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var refused = 0
        try await runReporting {
            let templates = try Self.templates(in: try FieldInput.load(file), file: file)
            try await global.run { client in
                let tenantId = try await tenant.resolved(client: client)
                var reports: [JSONValue] = []
                for template in templates {
                    var params: [String: JSONValue] = ["tenant_id": .string(tenantId), "whatsapp_number_id": .string(number), "template": template]
                    if dryRun { params["dry_run"] = true }
                    do {
                        let result = try await client.call("templates.import", params)
                        reports.append([
                            "name": template["name"] ?? .null, "language": template["language"] ?? .null,
                            "action": result["action"] ?? .null, "id": result["template"]?["id"] ?? .null,
                        ])
                    } catch let error as RPCError {
                        refused += 1
                        let problems = (error.data["errors"]?.arrayValue ?? []).map { "\($0["path"]?.stringValue ?? "?"): \($0["message"]?.stringValue ?? "")" }
                        reports.append([
                            "name": template["name"] ?? .null, "language": template["language"] ?? .null, "action": "refused",
                            "error": .string(problems.isEmpty ? error.message : problems.joined(separator: "; ")),
                        ])
                    }
                }
                return ["templates": .array(reports), "dry_run": .bool(dryRun)]
            } print: { result in
                (result["templates"]?.arrayValue ?? []).map { report in
                    let what = "\(report["name"]?.stringValue ?? "?") (\(report["language"]?.stringValue ?? "?"))"
                    if let error = report["error"]?.stringValue { return "refused   \(what): \(error)" }
                    let action = report["action"]?.stringValue ?? "?"
                    return "\(action.padding(toLength: 9, withPad: " ", startingAt: 0)) \(what) \(report["id"]?.stringValue ?? "")"
                }.joined(separator: "\n") + (dryRun ? "\n(dry run: nothing was stored)" : "")
            }
        }
        if refused > 0 { throw ExitCode(2) }
    }

    /// One template, or the `data` of Meta's list response.
    static func templates(in document: JSONValue, file: String) throws -> [JSONValue] {
        if let list = document["data"]?.arrayValue { return list }
        guard case .object = document else { throw CLIError.usage("\(file) must hold a template object or Meta's {\"data\": [...]} list") }
        return [document]
    }
}
