import ParleyModel
import ParleyTesting
import Testing

/// tenants.* over TCP against a real SQLite file.
@Suite struct TenantMethodTests {
    private func problems(_ response: JSONValue) -> [String: String] {
        var found: [String: String] = [:]
        for issue in response["error"]?["data"]?["errors"]?.arrayValue ?? [] {
            found[issue["path"]?.stringValue ?? "?"] = issue["message"]?.stringValue
        }
        return found
    }

    @Test func createGetUpdateDelete() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let created = try #require(
                try await client.call(
                    "tenants.create",
                    [
                        "slug": "acme", "name": "  Acme s.r.o.  ", "default_language": "cs", "timezone": "Europe/Prague",
                    ])["result"])
            let id = try #require(created["id"]?.stringValue)
            #expect(created["name"] == "Acme s.r.o.", "names are trimmed")
            #expect(created["default_language"] == "cs")
            #expect(created["created_at"] == created["updated_at"])
            #expect(Timestamp(rfc3339: created["created_at"]?.stringValue ?? "") != nil)
            let revision = try #require(created["revision"]?.intValue)

            #expect(try await client.call("tenants.get", ["id": .string(id)])["result"] == created)

            let updated = try #require(
                try await client.call(
                    "tenants.update",
                    [
                        "id": .string(id), "expected_revision": .int(revision), "name": "ACME", "timezone": nil,
                    ])["result"])
            #expect(updated["name"] == "ACME")
            #expect(updated["timezone"] == .null)
            #expect(updated["revision"]?.intValue == revision + 1)
            #expect(updated["created_at"] == created["created_at"])

            let deleted = try #require(try await client.call("tenants.delete", ["id": .string(id)])["result"])
            #expect(deleted["deleted"] == true)
            #expect(deleted["revision"]?.intValue == revision + 2)
            let gone = try await client.call("tenants.get", ["id": .string(id)])
            #expect(gone["error"]?["code"] == -32004)
            #expect(try await client.call("tenants.delete", ["id": .string(id)])["error"]?["code"] == -32004)
            #expect(try await client.call("tenants.update", ["id": .string(id), "name": "x"])["error"]?["code"] == -32004)
            await client.close()
        }
    }

    @Test func slugsAreUnique() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            _ = try await client.call("tenants.create", ["slug": "taken", "name": "First"])
            let again = try await client.call("tenants.create", ["slug": "taken", "name": "Second"])
            #expect(again["error"]?["code"] == -32009)
            #expect(again["error"]?["data"]?["reason"] == "already_exists")
            let other = try #require(try await client.call("tenants.create", ["slug": "other", "name": "Other"])["result"])
            let rename = try await client.call("tenants.update", ["id": other["id"]!, "slug": "taken"])
            #expect(rename["error"]?["code"] == -32009)
            await client.close()
        }
    }

    @Test func validationListsEveryProblem() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let response = try await client.call(
                "tenants.create",
                [
                    "slug": "Not A Slug", "name": "", "default_language": "english", "timezone": "Mars/Olympus", "colour": "red",
                ])
            #expect(response["error"]?["code"] == -32602)
            #expect(response["error"]?["data"]?["kind"] == "invalid_params")
            #expect(Set(problems(response).keys) == ["slug", "name", "default_language", "timezone", "colour"])
            let missing = try await client.call("tenants.create", [:])
            #expect(Set(problems(missing).keys) == ["slug", "name"])
            let types = try await client.call("tenants.create", ["slug": 1, "name": ["x"], "dry_run": "yes"])
            #expect(Set(problems(types).keys) == ["slug", "name", "dry_run"])
            let long = try await client.call("tenants.create", ["slug": "ok-slug", "name": .string(String(repeating: "é", count: 101))])
            #expect(Set(problems(long).keys) == ["name"])
            let exact = try await client.call("tenants.create", ["slug": "ok-slug", "name": .string(String(repeating: "é", count: 100))])
            #expect(exact["result"] != nil, "100 characters (200 UTF-8 bytes) is within the limit")
            let control = try await client.call("tenants.create", ["slug": "ctl", "name": "bad\u{7}name"])
            #expect(Set(problems(control).keys) == ["name"])
            await client.close()
        }
    }

    @Test func aStaleExpectedRevisionIsAConflictCarryingTheCurrentOne() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let created = try #require(try await client.call("tenants.create", ["slug": "rev", "name": "Rev"])["result"])
            let id = created["id"]!
            let current = try #require(created["revision"]?.intValue)
            _ = try await client.call("tenants.update", ["id": id, "name": "Rev 2"])
            let stale = try await client.call("tenants.update", ["id": id, "expected_revision": .int(current), "name": "Rev 3"])
            #expect(stale["error"]?["code"] == -32009)
            #expect(stale["error"]?["data"]?["reason"] == "revision_mismatch")
            #expect(stale["error"]?["data"]?["current_revision"]?.intValue == current + 1)
            let staleDelete = try await client.call("tenants.delete", ["id": id, "expected_revision": .int(current)])
            #expect(staleDelete["error"]?["data"]?["current_revision"]?.intValue == current + 1)
            #expect(try await client.call("tenants.get", ["id": id])["result"]?["name"] == "Rev 2")
            await client.close()
        }
    }

    @Test func dryRunsValidateAndStoreNothing() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            let before = try await server.store.currentRevision()
            let preview = try #require(try await client.call("tenants.create", ["slug": "dry", "name": "Dry", "dry_run": true])["result"])
            #expect(preview["slug"] == "dry")
            #expect(preview["revision"]?.intValue == before + 1)
            #expect(try await client.call("tenants.get", ["id": preview["id"]!])["error"]?["code"] == -32004)
            #expect(try await server.store.currentRevision() == before)

            let real = try #require(try await client.call("tenants.create", ["slug": "dry", "name": "Dry"])["result"])
            let conflict = try await client.call("tenants.create", ["slug": "dry", "name": "Again", "dry_run": true])
            #expect(conflict["error"]?["code"] == -32009, "dry runs check conflicts too")
            let rename = try #require(
                try await client.call("tenants.update", ["id": real["id"]!, "name": "Renamed", "dry_run": true])["result"])
            #expect(rename["name"] == "Renamed")
            #expect(try await client.call("tenants.get", ["id": real["id"]!])["result"]?["name"] == "Dry")
            let delete = try await client.call("tenants.delete", ["id": real["id"]!, "dry_run": true])
            #expect(delete["result"]?["deleted"] == true)
            #expect(try await client.call("tenants.get", ["id": real["id"]!])["result"] != nil)
            await client.close()
        }
    }

    @Test func listsPageWithCursorsInCreationOrder() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection.authenticated(port: server.port, apiKey: server.adminKey)
            var slugs: [String] = []
            for index in 0..<7 {
                slugs.append("page-\(index)")
                _ = try await client.call("tenants.create", ["slug": .string(slugs[index]), "name": .string("P\(index)")])
            }
            var seen: [String] = []
            var cursor: JSONValue = .null
            var pages = 0
            repeat {
                var params: [String: JSONValue] = ["limit": 3]
                if cursor != .null { params["cursor"] = cursor }
                let page = try #require(try await client.call("tenants.list", params)["result"])
                seen += page["items"]?.arrayValue?.compactMap { $0["slug"]?.stringValue } ?? []
                cursor = page["next_cursor"] ?? .null
                pages += 1
            } while cursor != .null && pages < 10
            #expect(seen == slugs)
            #expect(pages == 3)
            let bad = try await client.call("tenants.list", ["cursor": "garbage", "limit": 0])
            #expect(Set(problems(bad).keys) == ["cursor", "limit"])
            let tooBig = try await client.call("tenants.list", ["limit": 1001])
            #expect(Set(problems(tooBig).keys) == ["limit"])
            await client.close()
        }
    }
}
