import NIOCore

/// A Sendable reference to one connection, for handlers running off its event loop.
public struct ConnectionHandle: Sendable {
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<ConnectionHandler>
    /// The peer address, for logs.
    public let peer: String
    /// The peer's IP address without the port (authentication throttling counts per address).
    public let peerIP: String?
    /// The connection's channel (closed when its key is revoked).
    let channel: any Channel
    /// The connection's unsent bytes.
    let outbound: OutboundMeter

    /// Marks the connection as authenticated; returns once the event loop has applied it, so
    /// that the `hello` response is written after the new limits are in force.
    func establish(_ session: Session) async {
        let handler = self.handler
        try? await eventLoop.submit { handler.value.establish(session) }.get()
    }
}
