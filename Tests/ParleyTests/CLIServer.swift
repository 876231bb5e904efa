import Foundation
import ParleyModel
import Testing

/// A `parleyd` on a fresh SQLite file in a temporary folder, and the built `parley` pointed at it
/// with the admin key from `parleyd init`: the set-up of the CLI tests that run both binaries.
final class CLIServer {
    let directory: URL
    let daemon: BuiltBinaries.Daemon
    /// What `parley` runs with: `PARLEY_SERVER` and `PARLEY_API_KEY`, and whatever a test adds.
    var environment: [String: String]

    private init(directory: URL, daemon: BuiltBinaries.Daemon, key: String) {
        self.directory = directory
        self.daemon = daemon
        environment = ["PARLEY_SERVER": "127.0.0.1:\(daemon.port)", "PARLEY_API_KEY": key]
    }

    /// Creates the folder (named `prefix-<uuid>`), initialises the database and starts the server.
    static func start(_ prefix: String) async throws -> CLIServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("parley.db").path
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", database]).stdout.trimmingCharacters(in: .newlines)
        return CLIServer(directory: directory, daemon: try await BuiltBinaries.Daemon(database: database, directory: directory), key: key)
    }

    func parley(_ arguments: String...) async throws -> BuiltBinaries.Output {
        try await BuiltBinaries.run("parley", arguments, environment: environment)
    }

    /// The JSON output of a command that must succeed.
    func json(_ output: BuiltBinaries.Output) throws -> JSONValue {
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONParser.parse(output.stdout)
    }

    /// Writes `text` to `name` in the folder; returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Stops the server (its exit status) and removes the folder.
    func stop() async throws -> Int32 {
        let status = try await daemon.stop()
        removeFolder()
        return status
    }

    /// Removes the folder (also when a test ends early: call it from a `defer`).
    func removeFolder() {
        try? FileManager.default.removeItem(at: directory)
    }
}
