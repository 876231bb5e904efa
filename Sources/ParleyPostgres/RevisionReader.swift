import Logging
import NIOCore
import NIOPosix
import ParleyStore
import PostgresNIO
import Synchronization

/// The revision look-ups of ``ConsistentReads`` on a connection of their own, reconnected when
/// lost: a look-up precedes every batch of cached reads, so it should not also wait for a lease
/// from the read pool. ``ConsistentReads`` runs one look-up at a time, so one connection is enough.
///
/// Written with event-loop futures, not tasks: the look-up is on the path of every read from the
/// cache, and a task (with a second one for its timeout) costs thread hops that are a large part
/// of a round trip to a local PostgreSQL.
final class RevisionReader: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let timeout: TimeAmount
    /// The connection, or its connecting; the connection itself once open (to see that it closed).
    private let connection = Mutex<(opening: EventLoopFuture<PostgresConnection>, open: PostgresConnection?)?>(nil)

    init(configuration: PostgresConnection.Configuration, timeout seconds: Double, logger: Logger) {
        self.configuration = configuration
        self.timeout = .milliseconds(Int64(seconds * 1000))
        self.logger = logger
    }

    /// The store's revision now, or `store_unreachable` after the request timeout.
    func currentRevision(_ done: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        let opening = openConnection()
        let loop = opening.eventLoop
        let answered = Once()
        let answer: @Sendable (Result<Int64, any Error>) -> Void = { result in
            if answered.first() { done(result) }
        }
        let timer = loop.scheduleTask(in: timeout) { [self] in
            forget(opening)
            answer(.failure(StoreError.unavailable(.init(
                reason: "store_unreachable", detail: "PostgreSQL did not answer within \(Double(timeout.nanoseconds) / 1e9) s"))))
        }
        opening.flatMap { [logger] open in
            open.query("SELECT revision FROM store_revision WHERE id = 1", logger: logger)
        }.whenComplete { [self] result in
            timer.cancel()
            switch result {
            case .success(let rows):
                answer(Result { try rows.first?.decode(Int64.self) ?? 0 })
            case .failure(let error):
                forget(opening)
                answer(.failure(StoreError.classify(error) ?? error))
            }
        }
    }

    private func openConnection() -> EventLoopFuture<PostgresConnection> {
        let (opening, fresh) = connection.withLock { current -> (EventLoopFuture<PostgresConnection>, Bool) in
            if let current, !(current.open?.isClosed ?? false) { return (current.opening, false) }
            let opening = PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 2_000_000, logger: logger)
            current = (opening, nil)
            return (opening, true)
        }
        if fresh {
            opening.whenSuccess { [self] open in
                connection.withLock { current in if current?.opening === opening { current?.open = open } }
            }
        }
        return opening
    }

    /// Drops `opening` (failed, timed out or lost), closing its connection: the next look-up connects anew.
    private func forget(_ opening: EventLoopFuture<PostgresConnection>) {
        let dropped = connection.withLock { current -> Bool in
            guard current?.opening === opening else { return false }
            current = nil
            return true
        }
        if dropped { opening.whenSuccess { open in let _: EventLoopFuture<Void> = open.close() } }
    }

    func close() async {
        let open = connection.withLock { current -> EventLoopFuture<PostgresConnection>? in
            defer { current = nil }
            return current?.opening
        }
        if let connection = try? await open?.get() { try? await connection.close().get() }
    }
}

/// True for the first caller only: the look-up answers once, whether the reply or the timeout comes first.
private final class Once: Sendable {
    private let seen = Mutex(false)

    func first() -> Bool {
        seen.withLock { seen in
            defer { seen = true }
            return !seen
        }
    }
}
