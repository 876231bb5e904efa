import ParleyStore

/// The stream behind ``PostgresStore/keyChangeEvents()``: key ids from `parley_keys`
/// notifications, and a resync after the listener reconnected.
final class KeyChangeFeed: Sendable {
    let events: AsyncStream<KeyChangeEvent>
    private let continuation: AsyncStream<KeyChangeEvent>.Continuation

    init() {
        (events, continuation) = AsyncStream.makeStream(of: KeyChangeEvent.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    func send(_ event: KeyChangeEvent) { continuation.yield(event) }

    func finish() { continuation.finish() }
}
