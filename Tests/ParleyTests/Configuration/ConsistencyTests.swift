import ParleyModel
import ParleyTesting
import Testing

/// Uniqueness, immutability, revisions, dry runs and tenant deletion across families.
@Suite struct ConsistencyTests {
    @Test func phoneNumbersAreUniqueAcrossTenantsWithoutSayingWhere() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await fx.tenant("tenant-a"), b = try await fx.tenant("tenant-b")
            let groupA = try await fx.group(a, "Sales"), groupB = try await fx.group(b, "Sales")
            _ = try await fx.number(a, "Main", phone: "+420 (601) 000-004", group: groupA)
            let clash = try await fx.error(
                "whatsapp_numbers.create",
                [
                    "tenant_id": .string(b), "name": "Main", "phone_number": "+420601000004", "waba_id": "7", "routing_group_id": .string(groupB),
                ])
            #expect(clash["code"] == -32009)
            #expect(clash["data"]?["reason"] == "already_exists")
            #expect(clash["data"]?["field"] == "phone_number")
            #expect(clash["data"]?["existing_id"] == nil)
            let text = "\(clash)"
            #expect(!text.contains(a) && !text.contains("tenant-a"), "the conflict must not reveal the holder")
            await fx.client.close()
        }
    }

    @Test func templateNamesAreUniquePerBusinessAccountAndLanguage() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let group = try await fx.group(t, "Sales")
            let first = try await fx.number(t, "One", phone: "+420601000005", waba: "111", group: group)
            let second = try await fx.number(t, "Two", phone: "+420601000006", waba: "111", group: group)
            let third = try await fx.number(t, "Three", phone: "+420601000007", waba: "222", group: group)
            _ = try await fx.template(t, number: first, name: "welcome", language: "cs")
            let clash = try await fx.error("templates.create", ["tenant_id": .string(t)].merging(fx.templateFields(number: second, name: "welcome")) { $1 })
            #expect(clash["code"] == -32009)
            #expect(clash["data"]?["reason"] == "already_exists")
            _ = try await fx.template(t, number: second, name: "welcome", language: "en_US")
            _ = try await fx.template(t, number: third, name: "welcome", language: "cs")
            // Moving a number into the first account would create the clash, so it is refused.
            let move = try await fx.error("whatsapp_numbers.update", ["tenant_id": .string(t), "id": .string(third), "waba_id": "111"])
            #expect(move["code"] == -32009)
            #expect(try await fx.result("whatsapp_numbers.get", ["tenant_id": .string(t), "id": .string(third)])["waba_id"] == "222")
            await fx.client.close()
        }
    }

    /// Meta's editing rules over TCP (issue 15): not while PENDING, an APPROVED template once in
    /// 24 hours, rejected and paused ones freely; each edit goes back to review.
    @Test func templatesAreEditedOnlyAsMetaAllowsAndGoBackToReview() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let group = try await fx.group(t, "Sales")
            let number = try await fx.number(t, "Main", phone: "+420601000008", group: group)
            let id = try await fx.template(t, number: number, name: "shipped")
            let address: [String: JSONValue] = ["tenant_id": .string(t), "id": .string(id)]
            let body = { (text: String) -> [String: JSONValue] in address.merging(["components": ["body": ["text": .string(text)]]]) { $1 } }
            let status = { (value: String, extra: [String: JSONValue]) in
                try await fx.result("templates.set_status", address.merging(["status": .string(value)].merging(extra) { $1 }) { $1 })
            }
            #expect(try await fx.result("templates.get", address)["status"] == "PENDING")
            #expect(try await fx.error("templates.update", body("Too early"))["data"]?["reason"] == "not_editable")

            let rejected = try await status("REJECTED", ["reason": "Body looks promotional", "rejected_reason": "PROMOTIONAL"])
            #expect(rejected["status_reason"] == "Body looks promotional" && rejected["rejected_reason"] == "PROMOTIONAL")
            let edited = try await fx.result("templates.update", body("Odesláno"))
            #expect(edited["status"] == "PENDING" && edited["rejected_reason"] == .null, "an edited template goes back to review")

            let approved = try await status("APPROVED", ["meta_template_id": "1234567890", "quality_score": "GREEN"])
            #expect(approved["approved_at"]?.stringValue != nil && approved["meta_template_id"] == "1234567890")
            #expect(try await fx.result("templates.update", body("Odesláno dnes"))["status"] == "PENDING")
            _ = try await status("APPROVED", [:])
            let limited = try await fx.error("templates.update", body("Jiný text"))
            #expect(limited["code"] == -32009 && limited["data"]?["reason"] == "edit_limit")
            #expect(limited["message"]?.stringValue?.contains("retry in") == true)

            #expect(try await status("PAUSED", [:])["status"] == "PAUSED")
            #expect(try await fx.error("templates.update", address.merging(["name": "other"]) { $1 })["data"]?["reason"] == "immutable")
            #expect(try await fx.result("templates.update", body("Paused, edited"))["status"] == "PENDING")
            #expect(try await fx.error("templates.set_status", address.merging(["status": "GREAT"]) { $1 })["code"] == -32602)
            let misplaced = try await fx.error("templates.set_status", address.merging(["status": "APPROVED", "rejected_reason": "SCAM"]) { $1 })
            #expect(misplaced["code"] == -32602)
            await fx.client.close()
        }
    }

    @Test func tagNamesAreImmutable() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let id = try await fx.create("tags", t, ["name": "vip"])
            let renamed = try await fx.error("tags.update", ["tenant_id": .string(t), "id": .string(id), "name": "gold"])
            #expect(renamed["code"] == -32009)
            #expect(renamed["data"]?["reason"] == "immutable")
            let relabeled = try await fx.result("tags.update", ["tenant_id": .string(t), "id": .string(id), "name": "vip", "label": "VIP client"])
            #expect(relabeled["label"] == "VIP client")
            let clash = try await fx.error("tags.create", ["tenant_id": .string(t), "name": "VIP"])
            #expect(clash["data"]?["reason"] == "already_exists")
            #expect(clash["data"]?["existing_id"] == .string(id))
            await fx.client.close()
        }
    }

    @Test func revisionsDryRunsAndWarnings() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let before = try #require(try await fx.result("tenants.get", ["id": .string(t)])["revision"]?.intValue)
            let dry = try await fx.result("groups.create", ["tenant_id": .string(t), "name": "Dry", "dry_run": true])
            #expect(dry["name"] == "Dry")
            #expect(try await fx.result("groups.list", ["tenant_id": .string(t)])["items"] == [])

            let created = try await fx.result("groups.create", ["tenant_id": .string(t), "name": "Legacy", "routing_mode": "WHOLE_GROUP"])
            #expect(created["warnings"]?[0]?["path"] == "routing_mode")
            let id = try #require(created["id"])
            let revision = try #require(created["revision"]?.intValue)
            #expect(revision == before + 1, "the dry run took no revision")
            let same = try await fx.result("groups.update", ["tenant_id": .string(t), "id": id, "name": "Legacy"])
            #expect(same["revision"]?.intValue == revision, "a no-op update makes no revision")
            let stale = try await fx.error("groups.update", ["tenant_id": .string(t), "id": id, "name": "New", "expected_revision": .int(revision - 1)])
            #expect(stale["data"]?["reason"] == "revision_mismatch")
            #expect(stale["data"]?["current_revision"] == .int(revision))
            let reset = try await fx.result("groups.update", ["tenant_id": .string(t), "id": id, "routing_mode": nil, "expected_revision": .int(revision)])
            #expect(reset["routing_mode"] == "SEQUENTIAL_BY_OPERATOR", "null resets a field to its default")
            #expect(reset["warnings"] == nil)
            await fx.client.close()
        }
    }

    @Test func tenantsWithConfigurationNeedCascade() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let fresh = try await fx.tenant("fresh")
            let seeded = try await fx.result("blocked_file_types.list", ["tenant_id": .string(fresh)])["items"]?.arrayValue ?? []
            #expect(seeded.contains { $0["extension"] == "exe" && $0["source"] == "DEFAULT" })
            #expect(try await fx.result("tenants.delete", ["id": .string(fresh)])["deleted"] == true, "the default block list alone does not count")

            let bare = try await fx.tenant("bare", seed: false)
            #expect(try await fx.result("blocked_file_types.list", ["tenant_id": .string(bare)])["items"] == [])
            let group = try await fx.group(bare, "Sales")
            _ = try await fx.number(bare, "Main", phone: "+420601000009", group: group)
            let refused = try await fx.error("tenants.delete", ["id": .string(bare)])
            #expect(refused["data"]?["reason"] == "in_use")
            #expect(refused["data"]?["counts"] == ["groups": 1, "whatsapp_numbers": 1])
            #expect(try await fx.result("tenants.delete", ["id": .string(bare), "cascade": true])["deleted"] == true)
            #expect(try await fx.error("groups.get", ["tenant_id": .string(bare), "id": .string(group)])["code"] == -32004)
            // The phone number is free again.
            let other = try await fx.tenant("other")
            let otherGroup = try await fx.group(other, "Sales")
            _ = try await fx.number(other, "Main", phone: "+420601000009", group: otherGroup)
            await fx.client.close()
        }
    }
}
