import Logging
import NIOPosix
import ParleyStore
import PostgresNIO

/// Brings a database to the current schema: in one transaction under an advisory lock (so that
/// replicas starting together migrate once), after checking that the database is Parley's or
/// empty. A database migrated by a newer parleyd is refused, as with SQLite.
struct PostgresMigrator {
    /// The advisory lock key every parleyd takes while migrating ("PRLY" in ASCII).
    static let lockKey: Int64 = 0x5052_4C59

    let configuration: PostgresConnection.Configuration
    let url: PostgresURL
    let logger: Logger

    func migrate() async throws {
        let connection = try await connect()
        do {
            try await migrate(on: connection)
            try? await connection.close()
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            try? await connection.close()
            throw error
        }
    }

    private func migrate(on connection: PostgresConnection) async throws {
        try await connection.query("BEGIN", logger: logger)
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
        let tables = try await connection.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()", logger: logger
        ).collect().map { try $0.decode(String.self) }
        if !tables.isEmpty, !tables.contains("parley_schema_migrations") {
            throw PostgresStoreError(
                .foreignDatabase,
                "the database \(url.database) holds tables that are not Parley's (\(tables.sorted().prefix(3).joined(separator: ", "))); give Parley a database of its own"
            )
        }
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS parley_schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            logger: logger)
        let applied = try await connection.query("SELECT id FROM parley_schema_migrations ORDER BY id", logger: logger)
            .collect().map { try $0.decode(String.self) }
        let known = Set(PostgresMigrations.all.map(\.id))
        if applied.contains(where: { !known.contains($0) }) { throw StoreError.schemaTooNew(applied: applied) }
        for migration in PostgresMigrations.all where !applied.contains(migration.id) {
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO parley_schema_migrations (id) VALUES (\(migration.id))", logger: logger)
            logger.notice("migrated the PostgreSQL database", metadata: ["migration": "\(migration.id)", "database": "\(url)"])
        }
        try await connection.query("COMMIT", logger: logger)
    }

    /// A connection, or a one-line reason why there is none.
    private func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch let error as PSQLError {
            throw Self.reason(error, url: url)
        } catch {
            throw PostgresStoreError(.unreachable, "cannot reach PostgreSQL at \(url.host):\(url.port): \(error)")
        }
    }

    /// What went wrong connecting, in words (never the password).
    static func reason(_ error: PSQLError, url: PostgresURL) -> PostgresStoreError {
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000":
            return PostgresStoreError(.authenticationFailed, "PostgreSQL refused user \(url.user) (wrong password or not allowed by pg_hba.conf)")
        case "3D000":
            return PostgresStoreError(.databaseMissing, "the database \(url.database) does not exist on \(url.host):\(url.port); create it with createdb")
        case let state?:
            return PostgresStoreError(
                .unreachable, "PostgreSQL at \(url.host):\(url.port) refused the connection (\(state): \(error.serverInfo?[.message] ?? ""))")
        case nil:
            let underlying = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return PostgresStoreError(.unreachable, "cannot reach PostgreSQL at \(url.host):\(url.port): \(underlying)")
        }
    }
}
