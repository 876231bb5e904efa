import ArgumentParser
import ParleyModel
import ParleyProtocol

/// `parley templates render`.
struct RenderTemplate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Fill in a template's variables: the preview text and the Cloud API message object.")
    @Argument(help: "Template id.") var id: String
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp(
            "A parameter: component.name=value (body.1=Jan, header.1=X, buttons.0.1=abc; code=482913 for an AUTHENTICATION template); repeatable.",
            valueName: "path=value"))
    var assignments: [String] = []
    @Option(help: "A JSON or YAML file with the whole parameters object.") var file: String?
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            var parameters: [String: JSONValue] = [:]
            if let file {
                guard case .object(let members) = try FieldInput.load(file) else { throw CLIError.usage("\(file) must hold an object") }
                parameters = members
            }
            for assignment in assignments {
                guard let equals = assignment.firstIndex(of: "=") else { throw CLIError.usage("--param expects path=value") }
                let path = assignment[..<equals].split(separator: ".").map(String.init)
                parameters = FieldInput.setting(.string(String(assignment[assignment.index(after: equals)...])), at: path[...], in: parameters)
            }
            let params: [String: JSONValue] = [
                "id": .string(id), "parameters": .object(parameters),
            ]
            try await global.run { client in
                try await client.call("templates.render", try await tenant.adding(to: params, client: client))
            } print: { result in
                let sendable = result["sendable"]?.boolValue == true
                return (result["text"]?.stringValue ?? "") + "\n\n"
                    + (sendable ? "sendable: yes" : "sendable: no (the template is not APPROVED)") + "\n"
                    + "whatsapp: " + JSONWriter.string(result["whatsapp"] ?? .null)
            }
        }
    }
}

/// `parley templates set-status`.
struct SetTemplateStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-status", abstract: "Record Meta's review status of a template (APPROVED, REJECTED, PAUSED, ...).")
    @Argument(help: "Template id.") var id: String
    @Argument(help: "The status Meta reported.") var status: String
    @Option(help: "Meta's reason (for a rejection, say).") var reason: String?
    @Option(help: "Fail with a conflict unless the template is at this revision.") var expectedRevision: Int64?
    @Flag(help: "Validate and show the result without storing it.") var dryRun = false
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            var params: [String: JSONValue] = [
                "id": .string(id), "status": .string(status),
            ]
            if let reason { params["reason"] = .string(reason) }
            if let expectedRevision { params["expected_revision"] = .int(expectedRevision) }
            if dryRun { params["dry_run"] = true }
            try await global.run { client in
                try await client.call("templates.set_status", try await tenant.adding(to: params, client: client))
            } print: {
                Table.object($0)
            }
        }
    }
}

/// `parley hero-cards render`.
struct RenderHeroCard: AsyncParsableCommand {
    /// The rendered card as a FIELD/VALUE table (`--output json` gives the whole result): the
    /// card's texts, its images and buttons one per entry, and the WhatsApp message when there is one.
    static func table(_ result: JSONValue) -> String {
        let content = result["attachment"]?["content"]
        func action(_ button: JSONValue) -> JSONValue {
            .string("\(button["type"]?.stringValue ?? "?") \(button["title"]?.stringValue ?? ""): \(button["value"]?.stringValue ?? "")")
        }
        var rows: [String: JSONValue] = [
            "language": result["language"] ?? .null, "fell_back": result["fell_back"] ?? .null,
            "content_type": result["attachment"]?["contentType"] ?? .null,
            "title": content?["title"] ?? .null, "subtitle": content?["subtitle"] ?? .null, "text": content?["text"] ?? .null,
            "images": .array((content?["images"]?.arrayValue ?? []).map { $0["url"] ?? .null }),
            "buttons": .array((content?["buttons"]?.arrayValue ?? []).map(action)),
            "tap": content?["tap"].map(action) ?? .null,
        ]
        if let whatsapp = result["whatsapp"] { rows["whatsapp"] = whatsapp }
        return Table.object(.object(rows))
    }

    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Show a hero card as a Bot Framework attachment (and a WhatsApp message for WhatsApp cards).")
    @Argument(help: "Hero card id.") var id: String
    @Option(help: "Language to render (falls back to the card's default language).") var language: String?
    @OptionGroup var tenant: TenantOption
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runReporting {
            var params: [String: JSONValue] = ["id": .string(id)]
            if let language { params["language"] = .string(language) }
            try await global.run { client in
                try await client.call("hero_cards.render", try await tenant.adding(to: params, client: client))
            } print: {
                Self.table($0)
            }
        }
    }
}
