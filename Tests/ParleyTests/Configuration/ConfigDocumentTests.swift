import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// `config.export` / `config.apply` over TCP.
@Suite struct ConfigDocumentTests {
    /// A tenant with one object of every family, references between them, and an approved template.
    private func populated(_ fx: ConfigurationFixture, slug: String) async throws -> String {
        let t = try await fx.tenant(slug)
        let sales = try await fx.group(t, "Sales")
        _ = try await fx.group(t, "Support", fallback: sales)
        let number = try await fx.number(t, "Main", phone: "+420 601 555 001", group: sales)
        let template = try await fx.template(t, number: number, name: "order_ready", body: "Objednávka je připravena")
        _ = try await fx.result("templates.set_status", ["tenant_id": .string(t), "id": .string(template), "status": "APPROVED"])
        _ = try await fx.heroCard(t, "Offer", template: template)
        _ = try await fx.create("tags", t, ["name": "vip", "background_color": "#112233"])
        return t
    }

    @Test func exportIsDeterministicAndApplyingItChangesNothing() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await populated(fx, slug: "source")
            let document = try await fx.result("config.export", ["tenant_id": .string(a)])
            #expect(document["version"] == 1)
            let text = JSONWriter.string(document)
            #expect(!text.contains("grp_") && !text.contains("wan_") && !text.contains("tpl_") && !text.contains("revision"))
            #expect(document["whatsapp_numbers"]?[0]?["routing_group"] == "Sales")
            #expect(document["groups"]?[1]?["fallback_group"] == "Sales")
            #expect(document["hero_cards"]?[0]?["template"] == ["whatsapp_number": "+420601555001", "name": "order_ready", "language": "cs"])
            #expect(try await fx.result("config.export", ["tenant_id": .string(a)]) == document, "the same export twice")

            let plan = try await fx.result("config.apply", ["tenant_id": .string(a), "document": document, "prune": true])
            #expect(plan["create"] == [] && plan["update"] == [] && plan["delete"] == [], "a tenant's own export is an empty plan")
            await fx.client.close()
        }
    }

    @Test func anExportRecreatesTheConfigurationInAnotherTenant() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await populated(fx, slug: "source")
            let document = try await fx.result("config.export", ["tenant_id": .string(a)])
            // Phone numbers are unique across tenants: B gets its own.
            var copy = try #require(document.objectValue)
            let text = JSONWriter.string(.object(copy)).replacingOccurrences(of: "+420601555001", with: "+420601555002")
            copy = try #require(try JSONParser.parse(text).objectValue)
            let b = try await fx.tenant("copy", seed: false)
            let dry = try await fx.result("config.apply", ["tenant_id": .string(b), "document": .object(copy), "dry_run": true])
            #expect(dry["create"]?.arrayValue?.count == (document["blocked_file_types"]?.arrayValue?.count ?? 0) + 6)
            #expect(try await fx.result("groups.list", ["tenant_id": .string(b)])["items"] == [], "a dry run changes nothing")
            let applied = try await fx.result("config.apply", ["tenant_id": .string(b), "document": .object(copy)])
            #expect(applied["create"] == dry["create"])
            let exported = try await fx.result("config.export", ["tenant_id": .string(b)])
            #expect(JSONWriter.string(exported) == text, "B's export is A's document")
            await fx.client.close()
        }
    }

    @Test func problemsAreReportedWithTheirPathInTheDocument() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("target", seed: false)
            let refused = try await fx.error(
                "config.apply",
                [
                    "tenant_id": .string(t),
                    "document": [
                        "version": 1,
                        "groups": [["name": "Sales"], ["name": "sales"], ["name": "Ops", "queue_size": -1]],
                        "whatsapp_numbers": [["name": "Main", "phone_number": "+420601555003", "waba_id": "1", "routing_group": "Nowhere"]],
                        "colours": [],
                    ],
                ])
            let paths = Set(refused["data"]?["errors"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? [])
            #expect(
                paths == [
                    "document.groups[1]", "document.groups[2].queue_size", "document.whatsapp_numbers[0].routing_group", "document.colours",
                ])
            await fx.client.close()
        }
    }

    @Test func applyIsAllOrNothingAndPruneDeletesOnlyWhenAsked() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await populated(fx, slug: "atomic")
            let document = try await fx.result("config.export", ["tenant_id": .string(t)])
            var changed = try #require(document.objectValue)
            changed["groups"] = [["name": "Sales", "queue_size": 7], document["groups"]![1]!, ["name": "New desk"]]
            changed["tags"] = []
            // The approved template cannot change, so nothing at all may change.
            var frozen = changed
            var templates = try #require(document["templates"]?.arrayValue)
            templates[0] = .object(templates[0].objectValue!.merging(["category": "MARKETING"]) { $1 })
            frozen["templates"] = .array(templates)
            let refused = try await fx.error("config.apply", ["tenant_id": .string(t), "document": .object(frozen)])
            #expect(refused["data"]?["reason"] == "immutable")
            #expect(try await fx.result("config.export", ["tenant_id": .string(t)]) == document, "all or nothing")

            let kept = try await fx.result("config.apply", ["tenant_id": .string(t), "document": .object(changed)])
            #expect(kept["update"]?[0]?["changes"]?["queue_size"] == [50, 7])
            #expect(kept["create"]?[0]?["key"] == "New desk")
            #expect(kept["delete"] == [], "without prune nothing is deleted")
            let pruned = try await fx.result("config.apply", ["tenant_id": .string(t), "document": .object(changed), "prune": true])
            #expect(pruned["delete"] == [["family": "tags", "key": "vip"]])
            await fx.client.close()
        }
    }
}
