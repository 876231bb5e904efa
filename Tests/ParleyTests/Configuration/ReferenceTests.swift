import ParleyModel
import ParleyTesting
import Testing

/// References between configuration objects: same tenant only, in_use on delete, cascades.
@Suite struct ReferenceTests {
    @Test func referencesToAnotherTenantAreNotFound() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let a = try await fx.tenant("tenant-a"), b = try await fx.tenant("tenant-b")
            let groupA = try await fx.group(a, "Sales")
            let refused = try await fx.error(
                "whatsapp_numbers.create",
                [
                    "tenant_id": .string(b), "name": "Main", "phone_number": "+420601000001", "waba_id": "1",
                    "routing_group_id": .string(groupA),
                ])
            #expect(refused["code"] == -32004)
            #expect(refused["data"]?["type"] == "group")
            let missing = try await fx.error(
                "whatsapp_numbers.create",
                [
                    "tenant_id": .string(b), "name": "Main", "phone_number": "+420601000001", "waba_id": "1",
                    "routing_group_id": "grp_00000000000000000000000000",
                ])
            #expect(missing["code"] == refused["code"])
            #expect(missing["data"]?["type"] == refused["data"]?["type"])
            // Reading through the wrong tenant is indistinguishable from a missing object.
            let wrong = try await fx.error("groups.get", ["tenant_id": .string(b), "id": .string(groupA)])
            #expect(wrong["code"] == -32004)
            #expect(wrong["message"]?.stringValue == "group \(groupA) not found")
            let listed = try await fx.result("groups.list", ["tenant_id": .string(b)])
            #expect(listed["items"] == [])
            #expect(try await fx.error("groups.update", ["tenant_id": .string(b), "id": .string(groupA), "name": "X"])["code"] == -32004)
            #expect(try await fx.error("groups.delete", ["tenant_id": .string(b), "id": .string(groupA)])["code"] == -32004)
            #expect(try await fx.error("groups.list", ["tenant_id": "tnt_00000000000000000000000000"])["code"] == -32004)
            await fx.client.close()
        }
    }

    @Test func deletingAReferencedObjectIsInUse() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let sales = try await fx.group(t, "Sales")
            let support = try await fx.group(t, "Support", fallback: sales)
            let number = try await fx.number(t, "Main", phone: "+420 601 000 002", group: sales)
            let refused = try await fx.error("groups.delete", ["tenant_id": .string(t), "id": .string(sales)])
            #expect(refused["code"] == -32009)
            #expect(refused["data"]?["reason"] == "in_use")
            let referrers = refused["data"]?["referrers"]?.arrayValue ?? []
            #expect(Set(referrers.compactMap { $0["id"]?.stringValue }) == [support, number])
            #expect(referrers.contains { $0["type"] == "whatsapp_number" && $0["field"] == "routing_group_id" && $0["name"] == "Main" })
            #expect(referrers.contains { $0["type"] == "group" && $0["field"] == "fallback_group_id" })
            // Once nothing refers to it, it goes.
            _ = try await fx.result("groups.update", ["tenant_id": .string(t), "id": .string(support), "fallback_group_id": nil])
            _ = try await fx.result("whatsapp_numbers.update", ["tenant_id": .string(t), "id": .string(number), "routing_group_id": .string(support)])
            #expect(try await fx.result("groups.delete", ["tenant_id": .string(t), "id": .string(sales)])["deleted"] == true)
            await fx.client.close()
        }
    }

    @Test func numberDeleteCascadesToTemplatesOnlyWhenAsked() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let group = try await fx.group(t, "Sales")
            let number = try await fx.number(t, "Main", phone: "+420601000003", group: group)
            let first = try await fx.template(t, number: number, name: "order_ready")
            let second = try await fx.template(t, number: number, name: "order_late")
            let refused = try await fx.error("whatsapp_numbers.delete", ["tenant_id": .string(t), "id": .string(number)])
            #expect(refused["data"]?["reason"] == "in_use")
            #expect(refused["data"]?["referrers"]?.arrayValue?.count == 2)

            // A template used by a hero card blocks even the cascade, naming the card.
            let card = try await fx.heroCard(t, "Offer", template: first)
            let blocked = try await fx.error("whatsapp_numbers.delete", ["tenant_id": .string(t), "id": .string(number), "cascade": true])
            #expect(blocked["data"]?["referrers"]?.arrayValue?.map { $0["id"] } == [.string(card)])
            _ = try await fx.result("hero_cards.delete", ["tenant_id": .string(t), "id": .string(card)])

            let dry = try await fx.result("whatsapp_numbers.delete", ["tenant_id": .string(t), "id": .string(number), "cascade": true, "dry_run": true])
            #expect(Set(dry["cascaded"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == [first, second])
            #expect(try await fx.result("templates.get", ["tenant_id": .string(t), "id": .string(first)])["id"] == .string(first))

            let done = try await fx.result("whatsapp_numbers.delete", ["tenant_id": .string(t), "id": .string(number), "cascade": true])
            #expect(done["cascaded"]?.arrayValue?.count == 2)
            #expect(try await fx.error("templates.get", ["tenant_id": .string(t), "id": .string(second)])["code"] == -32004)
            await fx.client.close()
        }
    }

    @Test func cascadeIsOnlyAcceptedWhereItMeansSomething() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let group = try await fx.group(t, "Sales")
            let refused = try await fx.error("groups.delete", ["tenant_id": .string(t), "id": .string(group), "cascade": true])
            #expect(refused["code"] == -32602)
            #expect(refused["data"]?["errors"]?[0]?["path"] == "cascade")
            await fx.client.close()
        }
    }

    @Test func fallbackChainsNeverLoop() async throws {
        try await TestServer.with { server in
            let fx = try await ConfigurationFixture.open(server)
            let t = try await fx.tenant("acme")
            let a = try await fx.group(t, "A")
            let b = try await fx.group(t, "B", fallback: a)
            let c = try await fx.group(t, "C", fallback: b)
            let itself = try await fx.error("groups.update", ["tenant_id": .string(t), "id": .string(a), "fallback_group_id": .string(a)])
            #expect(itself["code"] == -32602)
            #expect(itself["data"]?["errors"]?[0]?["path"] == "fallback_group_id")
            let cycle = try await fx.error("groups.update", ["tenant_id": .string(t), "id": .string(a), "fallback_group_id": .string(c)])
            #expect(cycle["code"] == -32602)
            #expect(cycle["data"]?["errors"]?[0]?["message"]?.stringValue?.contains("cycle") == true)
            // The refused change left nothing behind.
            #expect(try await fx.result("groups.get", ["tenant_id": .string(t), "id": .string(a)])["fallback_group_id"] == .null)
            await fx.client.close()
        }
    }
}
