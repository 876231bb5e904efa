import Logging
import PostgresNIO
import Synchronization

/// The revision look-ups of ``ConsistentReads`` on a connection of their own, reconnected when
/// lost: a look-up precedes every batch of cached reads, so it should not also wait for a lease
/// from the read pool. ``ConsistentReads`` runs one look-up at a time, so one connection is enough.
final class RevisionReader: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The store's revision now.
    func currentRevision() async throws -> Int64 {
        let open = try await openConnection()
        do {
            return try await open.query("SELECT revision FROM store_revision WHERE id = 1", logger: logger)
                .collect().first?.decode(Int64.self) ?? 0
        } catch {
            connection.withLock { if $0 === open { $0 = nil } }
            try? await open.close()
            throw error
        }
    }

    private func openConnection() async throws -> PostgresConnection {
        if let open = connection.withLock({ $0 }), !open.isClosed { return open }
        let fresh = try await PostgresConnection.connect(configuration: configuration, id: 2_000_000, logger: logger)
        connection.withLock { $0 = fresh }
        return fresh
    }

    func close() async {
        let open = connection.withLock { current -> PostgresConnection? in
            defer { current = nil }
            return current
        }
        try? await open?.close()
    }
}
