import ArgumentParser
import Foundation
import ParleySQLite
import ParleyStore

/// `parleyd backup`: a consistent copy of a database, also while a server is writing to it.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database into a new file while the server runs (a consistent snapshot), then check the copy.")

    @Option(help: "Path of the database to copy (env PARLEY_DB).") var db: String?
    @Option(help: "The new backup file (must not exist).") var out: String

    func run() async throws {
        restrictNewFiles()
        let db = try sqlitePath(db, command: "backup")
        let started = Date()
        let progress = isatty(2) != 0 ? Task { await Self.showProgress(of: out) } : nil
        defer { progress?.cancel() }
        do {
            let report = try DatabaseBackup.backup(databaseAt: db, to: out)
            progress?.cancel()
            if progress != nil { printError("") }
            printError(
                String(
                    format: "parleyd: backed up revision %lld (%lld bytes, integrity ok) to %@ in %.2f s",
                    report.revision, report.bytes, out, Date().timeIntervalSince(started)))
        } catch {
            printError("parleyd: backup failed: \(error)")
            throw ExitCode.failure
        }
    }

    /// Prints the size of the copy as it grows (terminals only).
    static func showProgress(of path: String) async {
        while !Task.isCancelled {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            FileHandle.standardError.write(Data("\rparleyd: copying... \(size / 1024) KiB".utf8))
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// `parleyd restore`: put a backup in place of a database no server is running on.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace a database with a checked backup (no server may be running on it).")

    @Option(help: "The backup file to restore.") var from: String
    @Option(help: "Path of the database to replace or create (env PARLEY_DB).") var db: String?
    @Flag(help: "Replace an existing database.") var force = false

    func run() async throws {
        restrictNewFiles()
        let db = try sqlitePath(db, command: "restore")
        do {
            let report = try DatabaseBackup.restore(from: from, to: db, overwrite: force)
            printError("parleyd: restored revision \(report.revision) into \(db) (integrity ok)")
        } catch {
            printError("parleyd: restore failed: \(error)")
            throw ExitCode.failure
        }
    }
}

/// The SQLite file `option` names; a PostgreSQL URL exits explaining that PostgreSQL's own tools
/// back it up and restore it.
func sqlitePath(_ option: String?, command: String) throws -> String {
    switch try StoreLocation.resolve(option) {
    case .sqlite(let path):
        return path
    case .postgres(let url):
        let tool = command == "backup" ? "pg_dump --format=custom --file=parley.dump" : "pg_restore --clean --if-exists --dbname=..."
        printError(
            "parleyd: \(command) copies SQLite files; \(url) is a PostgreSQL database: use PostgreSQL's own tools "
                + "(\(tool); see docs/operations.md, \"Backups on PostgreSQL\")")
        throw ExitCode(64)
    }
}
