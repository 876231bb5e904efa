import ArgumentParser
import ParleyAuth
import ParleyModel
import ParleyStore

/// `parleyd init`: create and migrate the database and print one new admin key.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and migrate the database, then print one new ADMIN key on stdout (the key alone, one line)."
    )

    @Option(help: "Path of the SQLite database file.")
    var db = "./parley.db"

    @Option(help: "Name recorded for the new key.")
    var keyName = "initial admin"

    func run() async throws {
        restrictNewFiles()
        let store = try openStore(path: db)
        let pool = Argon2Pool(configuration: .init(threads: 1, queueLimit: 0))
        let (_, token) = try await KeyIssuer(store: store, pool: pool).issue(name: keyName, role: .admin, audit: .system("parleyd.init", targetType: APIKey.auditType))
        try await store.close()
        try await pool.shutdown()
        print(token.text)
    }
}

/// Opens the store, turning failures into a clear message and exit status 1.
func openStore(path: String, configuration: SQLiteStore.Configuration = .init()) throws -> SQLiteStore {
    do {
        return try SQLiteStore(path: path, configuration: configuration)
    } catch {
        printError("parleyd: cannot open database \(path): \(error)")
        throw ExitCode.failure
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var stream = StandardError()
    print(line, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ text: String) {
        FileHandleOutput.standardError(text)
    }
}
