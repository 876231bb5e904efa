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
///
/// The connection has an event loop (a thread) of its own. On one of the loops that serve the
/// clients, a look-up's reply waited behind the client traffic that loop had to read and answer
/// first, and every cached read waits for a look-up: measured on two cores, `groups.get` on a
/// replica at 32 connections went from 29,100–32,800 to 33,000–33,500/s (three alternating runs).
///
/// The look-up is a statement prepared once per connection: PostgreSQL then skips parsing and
/// planning it, and the exchange is four messages instead of seven (Bind, Execute, Sync; then
/// BindComplete, DataRow, CommandComplete, ReadyForQuery). It runs thousands of times a second
/// under load, on cores it shares with the server and the clients.
final class RevisionReader: Sendable {
    /// An open look-up connection and its prepared statement.
    private struct Prepared: Sendable {
        var connection: PostgresConnection
        var lookup: PreparedQuery
    }

    /// As text: postgres-nio 1.33.2's `prepare(query:)` describes the result columns as text but
    /// asks for them in binary, so an `int8` does not decode; a text column's binary form is its text.
    static let lookupSQL = "SELECT revision::text FROM store_revision WHERE id = 1"

    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let timeout: TimeAmount
    /// The look-up connections' own event loop (see above): one thread for the process, made
    /// when the first PostgreSQL store looks a revision up and, as NIO's own singleton group,
    /// never shut down.
    private static let lookupLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
    /// The connection, or its connecting; the connection itself once open (to see that it closed).
    private let connection = Mutex<(opening: EventLoopFuture<Prepared>, open: PostgresConnection?)?>(nil)

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
            // swift-format-ignore
            answer(.failure(StoreError.unavailable(.init(
                reason: "store_unreachable", detail: "PostgreSQL did not answer within \(Double(timeout.nanoseconds) / 1e9) s"))))
        }
        opening.flatMap { prepared in
            prepared.lookup.execute()
        }.whenComplete { [self] result in
            timer.cancel()
            switch result {
            case .success(let rows):
                answer(Result { try Self.revision(rows.first?.decode(String.self)) })
            case .failure(let error):
                forget(opening)
                answer(.failure(StoreError.classify(error) ?? error))
            }
        }
    }

    private static func revision(_ text: String?) throws -> Int64 {
        guard let text else { return 0 }
        guard let revision = Int64(text) else {
            throw StoreError.unavailable(.init(reason: "store_io_error", detail: "the store's revision is not a number"))
        }
        return revision
    }

    private func openConnection() -> EventLoopFuture<Prepared> {
        let (opening, fresh) = connection.withLock { current -> (EventLoopFuture<Prepared>, Bool) in
            if let current, !(current.open?.isClosed ?? false) { return (current.opening, false) }
            let opening = PostgresConnection.connect(
                on: Self.lookupLoop, configuration: configuration, id: 2_000_000, logger: logger
            ).flatMap { connection in
                connection.prepare(query: Self.lookupSQL).map { Prepared(connection: connection, lookup: $0) }
                    .flatMapError { error in connection.close().flatMapThrowing { throw error } }
            }
            current = (opening, nil)
            return (opening, true)
        }
        if fresh {
            opening.whenSuccess { [self] open in
                connection.withLock { current in if current?.opening === opening { current?.open = open.connection } }
            }
        }
        return opening
    }

    /// Drops `opening` (failed, timed out or lost), closing its connection: the next look-up connects anew.
    private func forget(_ opening: EventLoopFuture<Prepared>) {
        let dropped = connection.withLock { current -> Bool in
            guard current?.opening === opening else { return false }
            current = nil
            return true
        }
        if dropped { opening.whenSuccess { open in let _: EventLoopFuture<Void> = open.connection.close() } }
    }

    func close() async {
        let open = connection.withLock { current -> EventLoopFuture<Prepared>? in
            defer { current = nil }
            return current?.opening
        }
        if let open = try? await open?.get() { try? await open.connection.close().get() }
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
