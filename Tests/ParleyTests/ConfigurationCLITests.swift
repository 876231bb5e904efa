import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// `parley <family> ...`, `files check` and the render commands against a real `parleyd`.
@Suite(.serialized) struct ConfigurationCLITests {
    @Test func familiesFromFlagsAndFiles() async throws {
        let cli = try await CLIServer.start("parley-cli")
        defer { cli.removeFolder() }

        let noTenant = try await cli.parley("groups", "list")
        #expect(noTenant.status == 64)
        #expect(noTenant.stderr.contains("--tenant"))
        let tenant = try cli.json(try await cli.parley("tenants", "create", "--slug", "cli", "--name", "CLI", "--output", "json"))
        cli.environment["PARLEY_TENANT"] = try #require(tenant["id"]?.stringValue)

        // --set with JSON and text values; warnings go to stderr in table mode.
        let group = try await cli.parley("groups", "create", "--set", "name=Sales", "--set", "queue_size=10", "--set", "routing_mode=WHOLE_GROUP")
        #expect(group.status == 0, "\(group.stderr)")
        #expect(group.stdout.contains("queue_size") && group.stdout.contains("10"))
        #expect(group.stderr.contains("warning: routing_mode:"))
        let groups = try cli.json(try await cli.parley("groups", "list", "--name-prefix", "sa", "--output", "json"))
        let groupId = try #require(groups["items"]?[0]?["id"]?.stringValue)

        // A YAML file with nested objects and a quoted phone number.
        let yaml = cli.directory.appendingPathComponent("number.yaml")
        try """
        name: Main line
        phone_number: "+420 601 123 456"
        waba_id: "102290129340398"
        routing_group_id: \(groupId)
        profile:
          email: info@example.cz
          websites: [https://example.cz]
        """.write(to: yaml, atomically: true, encoding: .utf8)
        let number = try cli.json(try await cli.parley("whatsapp-numbers", "create", "--file", yaml.path, "--output", "json"))
        #expect(number["phone_number"] == "+420601123456")
        #expect(number["profile"]?["websites"] == ["https://example.cz"])
        let numberId = try #require(number["id"]?.stringValue)
        let table = try await cli.parley("whatsapp-numbers", "list")
        #expect(table.stdout.hasPrefix("ID") && table.stdout.contains("+420601123456") && table.stdout.contains("PENDING"))

        let invalid = try await cli.parley("whatsapp-numbers", "update", numberId, "--set", "profile.email=nope", "--set", "status=ODD")
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("profile.email:") && invalid.stderr.contains("status:"))

        let inUse = try await cli.parley("groups", "delete", groupId)
        #expect(inUse.status == 6)
        #expect(inUse.stderr.contains("used by whatsapp_number \(numberId)"))

        // Templates: create from JSON on stdin is not needed; --set builds nested components.
        let template = try cli.json(
            try await cli.parley(
                "templates", "create", "--set", "whatsapp_number_id=\(numberId)", "--set", "name=order_ready", "--set", "language=cs",
                "--set", "category=UTILITY", "--set", "components.body.text=Objednávka {{1}} je připravena.",
                "--set", #"components.body.examples={"1":"A-17"}"#, "--output", "json"))
        let templateId = try #require(template["id"]?.stringValue)
        _ = try cli.json(try await cli.parley("templates", "set-status", templateId, "APPROVED", "--output", "json"))
        let rendered = try await cli.parley("templates", "render", templateId, "--param", "body.1=B-42")
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdout.contains("Objednávka B-42 je připravena."))
        #expect(rendered.stdout.contains("sendable: yes"))
        let approvedOnly = try cli.json(try await cli.parley("templates", "list", "--filter", "status=APPROVED", "--output", "json"))
        #expect(approvedOnly["items"]?.arrayValue?.count == 1)

        let card = try cli.json(
            try await cli.parley(
                "hero-cards", "create", "--set", "name=Offer", "--set", "channel=WEBCHAT", "--set", "default_language=cs",
                "--set", #"localizations={"cs":{"title":"Nabídka","buttons":[{"type":"openUrl","title":"Web","value":"https://example.cz"}]}}"#,
                "--output", "json"))
        let cardId = try #require(card["id"]?.stringValue)
        let cardRender = try cli.json(try await cli.parley("hero-cards", "render", cardId, "--language", "en_US", "--output", "json"))
        #expect(cardRender["attachment"]?["contentType"] == "application/vnd.microsoft.card.hero")
        #expect(cardRender["language"] == "cs")
        // In table mode, a table (issue 16: it printed the JSON).
        let cardTable = try await cli.parley("hero-cards", "render", cardId, "--language", "en_US")
        #expect(cardTable.stdout.hasPrefix("FIELD"), "\(cardTable.stdout)")
        #expect(cardTable.stdout.contains("Nabídka") && cardTable.stdout.contains("openUrl Web: https://example.cz") && !cardTable.stdout.contains("{"))

        let blocked = try await cli.parley("files", "check", "invoice.pdf.exe")
        #expect(blocked.status == 0)
        #expect(blocked.stdout.hasPrefix("blocked") && blocked.stdout.contains(".exe"))
        #expect(try await cli.parley("files", "check", "invoice.pdf").stdout.hasPrefix("allowed"))

        let tag = try cli.json(try await cli.parley("tags", "create", "--set", "name=vip", "--output", "json"))
        let renamed = try await cli.parley("tags", "update", try #require(tag["id"]?.stringValue), "--set", "name=gold")
        #expect(renamed.status == 6)

        let cascade = try await cli.parley("groups", "delete", groupId, "--cascade")
        #expect(cascade.status == 64, "--cascade is for numbers only")
        let dry = try await cli.parley("whatsapp-numbers", "delete", numberId, "--cascade", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry run") && dry.stdout.contains(templateId))
        #expect(try await cli.stop() == 0)
    }
}
