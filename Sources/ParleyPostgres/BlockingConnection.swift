import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One PostgreSQL connection used synchronously, from the writer's own thread (never an event
/// loop, never a Swift concurrency thread): the shared rules (``StoreRules``) are synchronous, so
/// the writer runs them against this connection and waits for each statement. Reconnects on the
/// next use after the connection was lost.
///
/// `@unchecked Sendable`: used only on the writer thread (``PostgresWriter`` hands it from job to
/// job there); the store keeps it only to close it.
final class BlockingConnection: @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private var connection: PostgresConnection?
    private var nextID = 1

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The open connection, connecting first if there is none (or it was lost).
    private func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        nextID += 1
        let fresh = try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: nextID, logger: logger
        ).wait()
        connection = fresh
        return fresh
    }

    /// Runs `query` and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try open().query(query, logger: logger).wait()
    }

    /// Runs `query` and returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try rows(query).metadata.rows ?? 0
    }

    /// Drops the connection (after a failed transaction whose state is unknown).
    func reset() {
        try? connection?.close().wait()
        connection = nil
    }

    func close() {
        reset()
    }
}
