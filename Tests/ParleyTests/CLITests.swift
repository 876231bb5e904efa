import Foundation
import ParleyModel
import ParleyProtocol
import Testing

/// The built `parleyd` and `parley` binaries, end to end.
@Suite(.serialized) struct CLITests {
    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func initServeAndTheTenantCommands() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("parley.db").path

        let initialised = try await BuiltBinaries.run("parleyd", ["init", "--db", database])
        #expect(initialised.status == 0)
        let key = initialised.stdout.trimmingCharacters(in: .newlines)
        #expect(initialised.stdout.split(separator: "\n").count == 1, "init prints the key alone, one line")
        #expect(key.hasPrefix("prly_") && key.utf8.count == 65)

        let daemon = try await BuiltBinaries.Daemon(database: database, directory: directory)
        let env = ["PARLEY_SERVER": "127.0.0.1:\(daemon.port)", "PARLEY_API_KEY": key]
        func parley(_ arguments: String...) async throws -> BuiltBinaries.Output {
            try await BuiltBinaries.run("parley", arguments, environment: env)
        }

        #expect(try await parley("ping").status == 0)
        let created = try await parley("tenants", "create", "--slug", "cli-co", "--name", "CLI Co", "--timezone", "Europe/Prague", "--output", "json")
        #expect(created.status == 0, "\(created.stderr)")
        let tenant = try JSONParser.parse(created.stdout)
        let id = try #require(tenant["id"]?.stringValue)
        #expect(tenant["timezone"] == "Europe/Prague")
        let dry = try await parley("tenants", "update", id, "--name", "Renamed", "--dry-run")
        #expect(dry.status == 0 && dry.stdout.contains("(dry run: nothing was stored"), "every dry run says so (issue 16): \(dry.stdout)")

        let leading = try await BuiltBinaries.run(
            "parley", ["--server", env["PARLEY_SERVER"]!, "--output", "json", "tenants", "list"], environment: ["PARLEY_API_KEY": key])
        #expect(leading.status == 0, "global options may also stand before the command: \(leading.stderr)")
        #expect(try JSONParser.parse(leading.stdout)["items"]?.arrayValue?.count == 1)

        let table = try await parley("tenants", "list")
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("ID"))
        #expect(table.stdout.contains("cli-co"))
        #expect(table.stdout.contains("CLI Co"))

        let fetched = try await parley("tenants", "get", id, "--output", "json")
        #expect(try JSONParser.parse(fetched.stdout) == tenant)

        let updated = try await parley("tenants", "update", id, "--name", "CLI Company", "--unset", "timezone", "--output", "json")
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(try JSONParser.parse(updated.stdout)["timezone"] == .null)

        let called = try await parley("call", "tenants.get", #"{"id":"\#(id)"}"#)
        #expect(try JSONParser.parse(called.stdout)["name"] == "CLI Company")

        let duplicate = try await parley("tenants", "create", "--slug", "cli-co", "--name", "Again")
        #expect(duplicate.status == 6)
        #expect(duplicate.stderr.contains("conflict"))

        let invalid = try await parley("tenants", "create", "--slug", "X", "--name", "")
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("slug:"))
        #expect(invalid.stderr.contains("name:"))

        let missing = try await parley("tenants", "get", "tnt_nope")
        #expect(missing.status == 5)
        #expect(missing.stderr.hasPrefix("error: not_found"))

        let badKey = try await BuiltBinaries.run(
            "parley", ["tenants", "list"], environment: ["PARLEY_SERVER": env["PARLEY_SERVER"]!, "PARLEY_API_KEY": "prly_nope"])
        #expect(badKey.status == 3)
        #expect(badKey.stderr.contains("unauthenticated"))

        // A tenant with configuration needs --cascade, and the refusal names that flag (issue 16).
        #expect(try await parley("groups", "create", "--tenant", id, "--set", "name=Kept").status == 0)
        let refused = try await parley("tenants", "delete", id)
        #expect(refused.status == 6 && refused.stderr.contains("pass --cascade"), "\(refused.stderr)")
        let deleted = try await parley("tenants", "delete", id, "--cascade")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try await parley("tenants", "get", id).status == 5)

        #expect(try await daemon.stop() == 0, "SIGTERM is a graceful shutdown")
        let secret = String(key.split(separator: "_").last!)
        #expect(!daemon.log.contains(secret), "a key never appears in the log")

        let unreachable = try await BuiltBinaries.run("parley", ["ping", "--server", "127.0.0.1:1"])
        #expect(unreachable.status == 8)
    }

    @Test func serveOnADatabaseWithoutAnAdminKeyCreatesOneAndPrintsItOnce() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("fresh.db").path
        let daemon = try await BuiltBinaries.Daemon(database: database, directory: directory)
        let keys = daemon.log.split(separator: "\n").filter { $0.hasPrefix("prly_") }
        #expect(keys.count == 1)
        let key = String(try #require(keys.first))
        let list = try await BuiltBinaries.run(
            "parley", ["tenants", "list", "--output", "json"], environment: ["PARLEY_SERVER": "127.0.0.1:\(daemon.port)", "PARLEY_API_KEY": key])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(try await daemon.stop() == 0)

        let restarted = try await BuiltBinaries.Daemon(database: database, directory: directory)
        #expect(!restarted.log.contains("prly_"), "with an admin key present, no new key is printed")
        #expect(try await restarted.stop() == 0)
    }

    @Test func anUnusableDatabasePathFailsClearly() async throws {
        let result = try await BuiltBinaries.run("parleyd", ["init", "--db", "/nonexistent-dir/x/parley.db"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open database"))
    }
}
