import ArgumentParser
import ParleyAuth
import ParleyModel
import ParleyPostgres
import ParleyProtocol
import ParleySQLite
import ParleyStore

/// `parleyd init`: create and migrate the database and print one new admin key.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and migrate the database, then print one new ADMIN key on stdout (the key alone, one line)."
    )

    @Option(help: StoreLocation.help)
    var db: String?

    @Option(help: "Name recorded for the new key.")
    var keyName = "initial admin"

    func run() async throws {
        restrictNewFiles()
        let store = try await openStore(try StoreLocation.resolve(db))
        let pool = Argon2Pool(configuration: .init(threads: 1, queueLimit: 0))
        let (_, token) = try await KeyIssuer(store: store, pool: pool).issue(
            name: keyName, role: .admin, audit: .system("parleyd.init", targetType: APIKey.auditType))
        try await store.close()
        try await pool.shutdown()
        print(token.text)
    }
}

/// Opens the SQLite store, turning failures into a clear message and exit status 1.
func openStore(path: String, configuration: SQLiteStore.Configuration = .init()) throws -> SQLiteStore {
    var configuration = configuration
    configuration.auditErrorCode = RPCError.auditCode(of:)
    do {
        return try SQLiteStore(path: path, configuration: configuration)
    } catch {
        printError("parleyd: cannot open database \(path): \(error)")
        throw ExitCode.failure
    }
}

/// Opens (and migrates) the PostgreSQL store, turning failures into one line and exit status 1.
func openStore(url: PostgresURL, configuration: PostgresStore.Configuration = .init()) async throws -> PostgresStore {
    var configuration = configuration
    configuration.auditErrorCode = RPCError.auditCode(of:)
    do {
        return try await PostgresStore.open(url: url, configuration: configuration)
    } catch {
        printError("parleyd: cannot open database \(url): \(error)")
        throw ExitCode.failure
    }
}

/// Opens the store at `location` with default settings.
func openStore(_ location: StoreLocation) async throws -> any ConfigurationStore {
    switch location {
    case .sqlite(let path): try openStore(path: path)
    case .postgres(let url): try await openStore(url: url)
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
