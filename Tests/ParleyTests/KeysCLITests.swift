import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// `parley keys ...` and `parley audit list` against a real `parleyd`.
@Suite(.serialized) struct KeysCLITests {
    @Test func keysAndAuditFromTheCommandLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("parley.db").path
        let admin = try await BuiltBinaries.run("parleyd", ["init", "--db", database]).stdout.trimmingCharacters(in: .newlines)
        let attributes = try FileManager.default.attributesOfItem(atPath: database)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the database is readable by its owner only")
        let daemon = try await BuiltBinaries.Daemon(database: database, directory: directory)
        let server = "127.0.0.1:\(daemon.port)"
        func parley(_ key: String, _ arguments: String...) async throws -> BuiltBinaries.Output {
            try await BuiltBinaries.run("parley", arguments, environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key])
        }

        let tenant = try JSONParser.parse(try await parley(admin, "tenants", "create", "--slug", "keys", "--name", "Keys", "--output", "json").stdout)
        let tenantId = try #require(tenant["id"]?.stringValue)
        let created = try await parley(admin, "keys", "create", "--name", "partner", "--role", "TENANT_ADMIN", "--tenant", tenantId)
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("prly_") && created.stdout.split(separator: "\n").count == 1, "the key alone on stdout")
        #expect(created.stderr.contains("shown only this once"))
        let keyId = String(token.dropFirst(5).prefix(16))

        let listed = try await parley(admin, "keys", "list", "--tenant", tenantId)
        #expect(listed.stdout.hasPrefix("ID") && listed.stdout.contains(keyId) && listed.stdout.contains("ACTIVE"))
        #expect(!listed.stdout.contains("prly_") && !listed.stdout.contains("argon2"))

        // The tenant admin works in its tenant and cannot mint ADMIN keys.
        let group = try await BuiltBinaries.run(
            "parley", ["groups", "create", "--set", "name=Sales"],
            environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": token, "PARLEY_TENANT": tenantId])
        #expect(group.status == 0, "\(group.stderr)")
        let escalate = try await parley(token, "keys", "create", "--name", "root", "--role", "ADMIN")
        #expect(escalate.status == 4)

        let rotated = try await parley(admin, "keys", "rotate", keyId, "--grace-seconds", "0")
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.hasPrefix("prly_") && rotated.stderr.contains("stops working"))
        #expect(try await parley(token, "ping").status == 3, "the rotated key stopped at once")

        let newKey = rotated.stdout.trimmingCharacters(in: .newlines)
        let revoked = try await parley(admin, "keys", "revoke", String(newKey.dropFirst(5).prefix(16)))
        #expect(revoked.status == 0 && revoked.stdout.contains("REVOKED"))

        let audit = try await parley(admin, "audit", "list", "--tenant", tenantId)
        #expect(audit.status == 0, "\(audit.stderr)")
        for method in ["api_keys.create", "groups.create", "api_keys.rotate", "api_keys.revoke"] {
            #expect(audit.stdout.contains(method), "audit shows \(method)")
        }
        #expect(audit.stdout.contains("DENIED") && !audit.stdout.contains("prly_"))
        #expect(try await daemon.stop() == 0)
    }
}
