import GRDB

/// The write path runs the same few statements for every write. Compiling SQL costs more than
/// running it, so these helpers take statements from the connection's cache (compiled once per
/// connection, keyed by their text). Use them only with constant SQL: the cache never shrinks.
extension Database {
    /// Executes constant `sql` with `arguments` through the statement cache.
    func executeCached(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// The first column of the first row of constant `sql`, through the statement cache.
    func fetchOneCached<Value: DatabaseValueConvertible & StatementColumnConvertible>(
        _ type: Value.Type, _ sql: String, _ arguments: StatementArguments = StatementArguments()
    ) throws -> Value? {
        try Value.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    /// Runs `body` inside a savepoint named `name`: released when it returns `.commit`, rolled
    /// back when it returns `.rollback` or throws (the error is rethrown). GRDB's `inSavepoint`
    /// compiles its SAVEPOINT and RELEASE statements on every call; these come from the cache.
    /// Must run inside a transaction.
    func withSavepoint(_ name: StaticString, _ body: () throws -> TransactionCompletion) throws {
        let savepoint = "\(name)"
        try executeCached("SAVEPOINT \(savepoint)")
        let completion: TransactionCompletion
        do {
            completion = try body()
        } catch {
            try? executeCached("ROLLBACK TO SAVEPOINT \(savepoint)")
            try? executeCached("RELEASE SAVEPOINT \(savepoint)")
            throw error
        }
        if completion == .rollback { try executeCached("ROLLBACK TO SAVEPOINT \(savepoint)") }
        try executeCached("RELEASE SAVEPOINT \(savepoint)")
    }
}
