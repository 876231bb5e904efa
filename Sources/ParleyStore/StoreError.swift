/// Failures of the store itself (not of the caller's input).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database was migrated by a newer version of Parley than this one.
    case schemaTooNew(applied: [String])
    /// The store cannot take the request now; retrying later may succeed.
    case unavailable(Unavailability)
    /// A write ran longer than the write time budget and was rolled back.
    case timeBudgetExceeded(seconds: Double)

    /// Why the store is unavailable: a stable reason for clients and metrics.
    public struct Unavailability: Sendable, Hashable {
        /// `store_full`, `store_read_only`, `store_busy` or `store_io_error`.
        public var reason: String
        /// What the storage engine said (for the server log, never for clients).
        public var detail: String

        public init(reason: String, detail: String) {
            self.reason = reason
            self.detail = detail
        }
    }

    public var description: String {
        switch self {
        case .schemaTooNew(let applied):
            "the database schema is newer than this parleyd understands (applied migrations: \(applied.joined(separator: ", "))); upgrade parleyd"
        case .unavailable(let why):
            "the store is unavailable (\(why.reason)): \(why.detail)"
        case .timeBudgetExceeded(let seconds):
            "the write took longer than its budget of \(Self.seconds(seconds)) s and was rolled back"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The time a write may spend in the writer, checked between steps of long writes.
public struct WriteBudget: Sendable {
    private let deadline: ContinuousClock.Instant
    private let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
        deadline = .now + .milliseconds(Int64(seconds * 1000))
    }

    /// Throws ``StoreError/timeBudgetExceeded(seconds:)`` once the budget is spent.
    public func check() throws {
        if ContinuousClock.now > deadline { throw StoreError.timeBudgetExceeded(seconds: seconds) }
    }
}

/// An engine's error that may stand for a store failure (a full disk, a read-only file, a lost
/// connection): stores make their engine's error type conform, so that ``StoreError/classify(_:)``
/// tells store failures apart without knowing the engine.
public protocol StoreFailureConvertible: Error {
    /// The store failure this error stands for, or nil when it is something else (a bug, a constraint).
    var storeFailure: StoreError? { get }
}

extension StoreError {
    /// The store failure `error` stands for, if it is one: a ``StoreError`` itself, or an engine
    /// error that converts (SQLite's "disk full", "read-only", "locked" and I/O errors;
    /// PostgreSQL's lost connections) to ``unavailable(_:)`` with a stable reason, so that callers
    /// answer them as retryable store failures, not as internal errors.
    public static func classify(_ error: any Error) -> StoreError? {
        if let error = error as? StoreError { return error }
        return (error as? any StoreFailureConvertible)?.storeFailure
    }
}

/// Stored data that cannot be read back (a row written by something other than Parley).
public struct StoreCorruption: Error, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "store corruption: \(reason)" }
}
