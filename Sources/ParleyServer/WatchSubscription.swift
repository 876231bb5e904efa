import ParleyModel
import ParleyProtocol
import ParleyStore
import Synchronization

/// How far a subscription got: the revision of the last event it sent (0: none yet), read by
/// the connection when it ends the subscription itself.
final class WatchProgress: Sendable {
    private let revision = Atomic<Int64>(0)

    var lastRevision: Int64 { revision.load(ordering: .relaxed) }

    func sent(revision value: Int64) { revision.store(value, ordering: .relaxed) }
}

/// One `watch.subscribe`: reads the change log from its position and pushes `watch.event`
/// notifications in log order (so in revision order, without gaps or duplicates), waking on
/// each commit. A consumer whose unsent bytes pass the cap gets `watch.closed` and is disconnected.
struct WatchSubscription: Sendable {
    let id: String
    let filter: ChangeFilter
    let start: Int64
    let connection: ConnectionHandle
    let store: any ConfigurationStore
    /// Unsent bytes allowed before the consumer counts as not reading.
    let outboundCap: Int
    /// The key the connection authenticated with: the watch ends when it is revoked or expires.
    let keyId: String?
    let liveKeys: LiveKeys
    let progress: WatchProgress

    /// How long a watch waits for an unavailable store before it ends with `store_unavailable`.
    static let outageLimit: Duration = .seconds(60)

    func run() async {
        var position = start
        var lastRevision: Int64 = 0
        var outage: ContinuousClock.Instant?
        while !Task.isCancelled {
            if let keyId, !liveKeys.isUsable(keyId, at: .now()) {
                connection.sendAndClose(
                    RPCResponse.failure(
                        id: nil, error: RPCError(.unauthenticated, "the API key was revoked or has expired; closing")))
                return
            }
            let mark = store.changeSignal.latest
            let events: [ChangeEvent]
            do {
                events = try await store.changes(after: position, matching: filter, limit: 256)
            } catch {
                // Unsubscribing (or the connection closing) cancels the read: that ends the watch
                // quietly; only a real failure closes the connection.
                if Task.isCancelled || error is CancellationError { return }
                // The store is away for a while (PostgreSQL restarting, SQLite locked): keep the
                // position and try again, so that the watch resumes without a gap; give up after
                // `Self.outageLimit`.
                if case .unavailable? = StoreError.classify(error) {
                    let since = outage ?? .now
                    outage = since
                    if ContinuousClock.now - since < Self.outageLimit {
                        try? await Task.sleep(for: .milliseconds(250))
                        continue
                    }
                    close(reason: "store_unavailable", revision: lastRevision)
                    return
                }
                close(reason: "internal_error", revision: lastRevision)
                return
            }
            outage = nil
            if events.isEmpty {
                await store.changeSignal.wait(after: mark, timeout: store.changePollInterval)
                continue
            }
            for event in events {
                connection.send(notification(event))
                position = event.sequence
                lastRevision = event.revision
                progress.sent(revision: lastRevision)
            }
            if connection.pendingOutboundBytes > outboundCap {
                close(reason: "slow_consumer", revision: lastRevision)
                return
            }
        }
    }

    private func notification(_ event: ChangeEvent) -> JSONValue {
        [
            "jsonrpc": "2.0", "method": "watch.event",
            "params": [
                "subscription_id": .string(id), "revision": .int(event.revision), "tenant_id": .string(event.tenantId),
                "family": .string(event.family), "type": .string(event.type), "id": .string(event.id), "object": event.object ?? .null,
            ],
        ]
    }

    private func close(reason: String, revision: Int64) {
        connection.sendAndClose(Self.closedNotification(id: id, reason: reason, revision: revision))
    }

    /// The `watch.closed` notification of subscription `id`.
    static func closedNotification(id: String, reason: String, revision: Int64) -> JSONValue {
        [
            "jsonrpc": "2.0", "method": "watch.closed",
            "params": ["subscription_id": .string(id), "reason": .string(reason), "revision": .int(revision)],
        ]
    }
}
