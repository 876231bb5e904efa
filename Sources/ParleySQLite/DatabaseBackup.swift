import Foundation
import GRDB

/// Online backups and restores of the SQLite file.
///
/// A backup is `VACUUM INTO` a new file: one read transaction, so it is a consistent snapshot of
/// the last committed revision even while the server keeps writing, and it never restarts. The
/// copy is then checked with `PRAGMA integrity_check`. A restore checks the backup the same way,
/// refuses a backup made by a newer parleyd, takes the database lock (so no server may be running
/// on the target), and replaces the target atomically (a rename).
public enum DatabaseBackup {
    /// What a backup or restore produced.
    public struct Report: Sendable, Hashable {
        /// The store revision the copy holds.
        public var revision: Int64
        public var bytes: Int64
        /// The migrations applied to the copy.
        public var migrations: [String]
    }

    /// Failures with a message for the operator.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Copies the database at `source` into the new file `destination`.
    public static func backup(databaseAt source: String, to destination: String) throws -> Report {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure(description: "no database at \(source)") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure(description: "\(destination) exists; choose a new file name")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: source, configuration: configuration)
        try queue.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
        try queue.close()
        return try inspect(destination)
    }

    /// Checks `path`: integrity, revision, migrations; throws unless it is sound.
    public static func inspect(_ path: String) throws -> Report {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            guard integrity == "ok" else { throw Failure(description: "\(path) fails its integrity check: \(integrity)") }
            if try SQLiteStore.migrator.hasBeenSuperseded(db) {
                throw Failure(description: "\(path) was written by a newer parleyd; restore it with that version")
            }
            let revision = try Int64.fetchOne(db, sql: "SELECT revision FROM store_revision WHERE id = 1") ?? 0
            let migrations = try SQLiteStore.migrator.appliedMigrations(db)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            return Report(revision: revision, bytes: size, migrations: migrations)
        }
    }

    /// Replaces the database at `destination` with the backup at `backup` (no server may be running on it).
    public static func restore(from backup: String, to destination: String, overwrite: Bool) throws -> Report {
        _ = try inspect(backup)
        if FileManager.default.fileExists(atPath: destination), !overwrite {
            throw Failure(description: "\(destination) exists; pass --force to replace it")
        }
        let lock = try DatabaseLock(databasePath: destination)
        defer { withExtendedLifetime(lock) {} }
        let staging = destination + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.copyItem(atPath: backup, toPath: staging)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staging)
        try sync(staging)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: destination + suffix) }
        guard rename(staging, destination) == 0 else { throw Failure(description: "cannot move the restored file into place (errno \(errno))") }
        try sync((destination as NSString).deletingLastPathComponent.isEmpty ? "." : (destination as NSString).deletingLastPathComponent)
        return try inspect(destination)
    }

    /// fsync of a file or directory.
    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path) to sync it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(description: "fsync of \(path) failed (errno \(errno))") }
    }
}
