/// Why the PostgreSQL store cannot start or go on, with an extensible ``Code`` (as postgres-nio's
/// errors): messages name what is wrong and never carry the password.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let description: String

        public static let invalidURL = Code(description: "invalid_url")
        public static let unreachable = Code(description: "unreachable")
        public static let authenticationFailed = Code(description: "authentication_failed")
        public static let databaseMissing = Code(description: "database_missing")
        public static let foreignDatabase = Code(description: "foreign_database")
        public static let migrationFailed = Code(description: "migration_failed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
