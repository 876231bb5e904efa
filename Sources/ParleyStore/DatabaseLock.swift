#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on `<database>.lock`, held by `parleyd serve` while it runs and by
/// `parleyd restore` while it replaces the file: a restore cannot pull the file from under a
/// running server, and two servers cannot serve one database.
public final class DatabaseLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock for the database at `databasePath`, or throws ``Held`` if another process has it.
    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Held(path: path, reason: "cannot open the lock file (errno \(errno))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Held(path: path, reason: "another parleyd process is using this database")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The lock could not be taken.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(reason) (lock \(path))" }
    }
}
