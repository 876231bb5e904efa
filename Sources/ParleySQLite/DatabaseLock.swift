#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on a database, held by `parleyd serve` while it runs and by
/// `parleyd restore` while it replaces the file: a restore cannot pull the file from under a
/// running server, and two servers cannot serve one database.
///
/// The lock follows the file, not the name it was opened by: it is taken on `<real path>.lock`
/// (symbolic links resolved, so two names of one path meet at one lock file) and on the database
/// file itself (so two hard links, which share the file but not a path, meet too). `flock` locks
/// are independent of the POSIX locks SQLite takes on the same file.
public final class DatabaseLock: Sendable {
    private let descriptors: [Int32]
    /// The lock file.
    public let path: String

    /// Takes the lock for the database at `databasePath`, or throws ``Held`` if another process has it.
    /// The database file is created (empty, mode 0600) when it does not exist yet.
    public init(databasePath: String) throws {
        let resolved = Self.resolve(databasePath)
        path = resolved + ".lock"
        var taken: [Int32] = []
        for (file, what) in [(path, "the lock file"), (resolved, "the database file")] {
            let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                let reason = "cannot open \(what) (\(String(cString: strerror(errno))))"
                for held in taken { close(held) }
                throw Held(path: file, reason: reason)
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                for held in taken { close(held) }
                throw Held(path: file, reason: "another parleyd process is using this database")
            }
            taken.append(descriptor)
        }
        descriptors = taken
    }

    deinit {
        for descriptor in descriptors {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// `path` with symbolic links resolved: the file's real path, or its directory's real path
    /// and its name when the file does not exist yet.
    static func resolve(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let real = realpath(directory.isEmpty ? "/" : directory, nil) else { return path }
        defer { free(real) }
        let base = String(cString: real)
        return (base.hasSuffix("/") ? base : base + "/") + name
    }

    /// The lock could not be taken.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(reason) (lock \(path))" }
    }
}
