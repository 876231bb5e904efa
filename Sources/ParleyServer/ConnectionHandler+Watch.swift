import NIOCore
import ParleyModel
import ParleyProtocol

/// Watch subscriptions live on their connection: registered and cancelled on its event loop,
/// cancelled when it closes or the server drains.
extension ConnectionHandler {
    /// At most this many subscriptions per connection.
    static let maximumSubscriptions = 16

    func addSubscription(_ id: String, _ task: Task<Void, Never>) {
        subscriptions[id] = task
    }

    func removeSubscription(_ id: String) -> Bool {
        guard let task = subscriptions.removeValue(forKey: id) else { return false }
        task.cancel()
        return true
    }

    func cancelSubscriptions() {
        for task in subscriptions.values { task.cancel() }
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

    /// Runs `start` on the event loop to register a subscription, unless the connection already has the maximum.
    func register(_ id: String, start: @escaping @Sendable () -> Task<Void, Never>) async -> Bool {
        let handler = self.handler
        return (try? await eventLoop.submit { () -> Bool in
            guard handler.value.subscriptions.count < ConnectionHandler.maximumSubscriptions else { return false }
            handler.value.addSubscription(id, start())
            return true
        }.get()) ?? false
    }

    /// Cancels subscription `id`; false if this connection has no such subscription.
    func cancelSubscription(_ id: String) async -> Bool {
        let handler = self.handler
        return (try? await eventLoop.submit { handler.value.removeSubscription(id) }.get()) ?? false
    }

}
