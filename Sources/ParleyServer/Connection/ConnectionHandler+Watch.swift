import NIOCore
import ParleyModel
import ParleyProtocol

/// Watch subscriptions live on their connection: registered and cancelled on its event loop,
/// cancelled when it closes or the server drains, ended when the connection's key changes.
extension ConnectionHandler {
    /// At most this many subscriptions per connection.
    static let maximumSubscriptions = 16

    /// One registered subscription: its task and how far it got.
    struct WatchRegistration {
        var task: Task<Void, Never>
        var progress: WatchProgress
    }

    func removeSubscription(_ id: String) -> Bool {
        guard let registration = subscriptions.removeValue(forKey: id) else { return false }
        registration.task.cancel()
        return true
    }

    func cancelSubscriptions() {
        for registration in subscriptions.values { registration.task.cancel() }
        subscriptions.removeAll()
    }

    /// Ends every subscription with a `watch.closed` notification carrying `reason`, keeping the
    /// connection open (the key that made them no longer speaks for it).
    func endSubscriptions(reason: String) {
        for (id, registration) in subscriptions.sorted(by: { $0.key < $1.key }) {
            registration.task.cancel()
            write(WatchSubscription.closedNotification(id: id, reason: reason, revision: registration.progress.lastRevision))
        }
        subscriptions.removeAll()
    }
}

extension ConnectionHandle {
    /// Bytes written to this connection that the socket has not taken yet.
    var pendingOutboundBytes: Int { outbound.pending }

    /// Writes a server-initiated message (a notification). Its bytes count as unsent from now on,
    /// so that what waits for the event loop is counted too.
    func send(_ message: JSONValue) {
        let handler = self.handler
        let bytes = JSONWriter.bytes(message)
        outbound.add(bytes.count + 4)
        eventLoop.execute { handler.value.writeCounted(bytes) }
    }

    /// Writes a last message and closes the connection.
    func sendAndClose(_ message: JSONValue) {
        let handler = self.handler
        eventLoop.execute { handler.value.writeAndClose(message) }
    }

    /// What became of a subscription to register.
    enum Registration: Sendable {
        case registered
        /// The connection already has ``ConnectionHandler/maximumSubscriptions``.
        case full
        /// The connection is closing, or its session changed key since the subscribe was admitted.
        case unavailable
    }

    /// Runs `start` on the event loop to register a subscription made by `keyId`, unless the
    /// connection already has the maximum, is closing, or is no longer authenticated with that key.
    func register(
        _ id: String, keyId: String?, progress: WatchProgress, start: @escaping @Sendable () -> Task<Void, Never>
    ) async -> Registration {
        let handler = self.handler
        // swift-format-ignore
        return (try? await eventLoop.submit { () -> Registration in
            let connection = handler.value
            guard connection.machine.acceptsWrites, connection.session?.keyID == keyId else { return .unavailable }
            guard connection.subscriptions.count < ConnectionHandler.maximumSubscriptions else { return .full }
            connection.subscriptions[id] = .init(task: start(), progress: progress)
            return .registered
        }.get()) ?? .unavailable
    }

    /// Cancels subscription `id`; false if this connection has no such subscription.
    func cancelSubscription(_ id: String) async -> Bool {
        let handler = self.handler
        return (try? await eventLoop.submit { handler.value.removeSubscription(id) }.get()) ?? false
    }
}
