import Foundation
import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// `parley export`, `parley apply` and `parley watch` against a real `parleyd`.
@Suite(.serialized) struct ConfigDocumentCLITests {
    @Test func exportReviewApplyAndWatch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("parley.db").path
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", database]).stdout.trimmingCharacters(in: .newlines)
        let daemon = try await BuiltBinaries.Daemon(database: database, directory: directory)
        let env = ["PARLEY_SERVER": "127.0.0.1:\(daemon.port)", "PARLEY_API_KEY": key]
        func parley(_ arguments: String...) async throws -> BuiltBinaries.Output {
            try await BuiltBinaries.run("parley", arguments, environment: env)
        }
        _ = try await parley("tenants", "create", "--slug", "source", "--name", "Source")
        _ = try await parley("tenants", "create", "--slug", "target", "--name", "Target")
        #expect(try await parley("groups", "create", "--tenant", "tnt_x", "--set", "name=x").status != 0)
        let tenants = try JSONParser.parse(try await parley("tenants", "list", "--output", "json").stdout)
        let source = try #require(tenants["items"]?.arrayValue?.first { $0["slug"] == "source" }?["id"]?.stringValue)
        _ = try await parley("groups", "create", "--tenant", source, "--set", "name=Sales")
        _ = try await parley("tags", "create", "--tenant", source, "--set", "name=vip")

        let file = directory.appendingPathComponent("source.yaml").path
        let exported = try await parley("export", "--tenant", "source", "--out", file)
        #expect(exported.status == 0, "\(exported.stderr)")
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
        #expect(yaml.contains("name: Sales") && yaml.contains("version: 1") && !yaml.contains("grp_"))

        // Slugs work wherever a tenant is named (issue 16): audit list, keys create, and for a tenant
        // key its own tenant's slug (any other slug is not found, as if missing).
        let audited = try JSONParser.parse(try await parley("audit", "list", "--tenant", "source", "--output", "json").stdout)
        let records = try #require(audited["items"]?.arrayValue)
        #expect(!records.isEmpty && records.allSatisfy { $0["tenant_id"]?.stringValue == source }, "\(records.prefix(2))")
        let made = try JSONParser.parse(
            try await parley(
                "keys", "create", "--name", "partner", "--role", "TENANT_READER", "--tenant", "source", "--output", "json"
            ).stdout)
        #expect(made["key"]?["tenant_id"]?.stringValue == source)
        let partnerKey = try #require(made["api_key"]?.stringValue)
        let partnerEnv = ["PARLEY_SERVER": env["PARLEY_SERVER"]!, "PARLEY_API_KEY": partnerKey]
        let own = try await BuiltBinaries.run("parley", ["export", "--tenant", "source", "--output", "json"], environment: partnerEnv)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(try JSONParser.parse(own.stdout)["version"] == 1)
        let other = try await BuiltBinaries.run("parley", ["export", "--tenant", "target"], environment: partnerEnv)
        #expect(other.status == 5 && other.stderr.contains("tenant target not found"), "\(other.stderr)")
        // A tenant key needs no --tenant (hello says its tenant), and the family commands take slugs.
        let groups = try await BuiltBinaries.run("parley", ["groups", "list", "--output", "json"], environment: partnerEnv)
        #expect(groups.status == 0, "\(groups.stderr)")
        let bySlug = try await BuiltBinaries.run("parley", ["groups", "list", "--tenant", "source", "--output", "json"], environment: partnerEnv)
        #expect(bySlug.status == 0 && bySlug.stdout == groups.stdout, "\(bySlug.stderr)")
        let ownExport = try await BuiltBinaries.run("parley", ["export", "--output", "json"], environment: partnerEnv)
        #expect(ownExport.status == 0 && ownExport.stdout == own.stdout, "\(ownExport.stderr)")
        let adminWithout = try await BuiltBinaries.run("parley", ["groups", "list"], environment: env)
        #expect(adminWithout.status == 64 && adminWithout.stderr.contains("an ADMIN key belongs to no tenant"), "\(adminWithout.stderr)")
        let adminBySlug = try await BuiltBinaries.run("parley", ["groups", "list", "--tenant", "source", "--output", "json"], environment: env)
        #expect(adminBySlug.status == 0 && adminBySlug.stdout == groups.stdout, "\(adminBySlug.stderr)")

        // The global --output json is the export's format too (it was accepted and ignored, issue 16).
        let asJSON = try await parley("export", "--tenant", "source", "--output", "json")
        #expect(asJSON.status == 0, "\(asJSON.stderr)")
        #expect(try JSONParser.parse(asJSON.stdout)["version"] == 1)
        #expect(try await parley("export", "--tenant", "source", "--format", "json").stdout == asJSON.stdout)
        let clash = try await parley("export", "--tenant", "source", "--format", "yaml", "--output", "json")
        #expect(clash.status == 64 && clash.stderr.contains("disagree"), "\(clash.stderr)")

        let plan = try await parley("apply", "--tenant", "target", "-f", file, "--dry-run")
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("+ groups \"Sales\"") && plan.stdout.contains("+ tags \"vip\""))
        #expect(plan.stdout.contains("dry run") && !plan.stdout.contains("\u{1B}["), "no colour when not on a terminal")
        let applied = try await parley("apply", "--tenant", "target", "-f", file)
        #expect(applied.stdout.contains("Applied: "))
        #expect(try await parley("apply", "--tenant", "target", "-f", file).stdout.contains("No changes"))
        let again = directory.appendingPathComponent("target.yaml").path
        _ = try await parley("export", "--tenant", "target", "--out", again)
        let copy = try String(contentsOfFile: again, encoding: .utf8)
        #expect(copy == yaml, "the target now exports the same document")

        // A watch runs until stopped: give it a moment, then look at what it printed.
        let watched = try await BuiltBinaries.run(
            "parley", ["watch", "--tenant", "target", "--from-revision", "0", "--families", "groups", "--output", "json"],
            environment: env, timeout: .seconds(2))
        let events = watched.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        #expect(events.count == 1 && events.first?["type"] == "created" && events.first?["object"]?["name"] == "Sales", "\(watched.stderr)")

        // A watch whose key is revoked ends saying so, with the unauthenticated exit status (issue 16).
        let admin = try await RawConnection.authenticated(port: daemon.port, apiKey: key)
        let created = try await admin.call("api_keys.create", ["name": "watcher", "role": "ADMIN"])
        let watcherKey = try #require(created["result"]?["api_key"]?.stringValue)
        let watcherID = try #require(created["result"]?["key"]?["id"])
        async let revokedWatch = BuiltBinaries.run(
            "parley", ["watch", "--families", "groups"], environment: ["PARLEY_SERVER": env["PARLEY_SERVER"]!, "PARLEY_API_KEY": watcherKey],
            timeout: .seconds(20))
        try await Task.sleep(for: .seconds(1))
        _ = try await admin.call("api_keys.revoke", ["id": watcherID])
        let ended = try await revokedWatch
        #expect(ended.status == 3, "\(ended.stderr)")
        #expect(ended.stderr.contains("revoked"), "\(ended.stderr)")
        #expect(try await daemon.stop() == 0)
    }
}
