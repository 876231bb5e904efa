import ArgumentParser
import Foundation
import ParleyPostgres

/// Where the configuration lives: a SQLite file (a path) or a PostgreSQL database (a
/// `postgres://` or `postgresql://` URL), from `--db`, else `PARLEY_DB`, else `./parley.db`.
enum StoreLocation: CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    static let help: ArgumentHelp =
        "SQLite file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require] (env PARLEY_DB; default ./parley.db)."

    /// The location `option` (or `PARLEY_DB`) names; a bad URL exits with a one-line reason.
    static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        let text = option ?? environment["PARLEY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./parley.db"
        guard PostgresURL.isPostgres(text) else { return .sqlite(path: text) }
        do {
            return .postgres(try PostgresURL(text))
        } catch {
            printError("parleyd: --db: \(error)")
            throw ExitCode.failure
        }
    }

    /// For messages: the path, or the URL without its password.
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}
