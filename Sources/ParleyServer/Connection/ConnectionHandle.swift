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

    /// Marks the connection as authenticated, on the event loop, right before the `hello` response
    /// is written (so the new limits are in force when the client reads it), without an extra hop.
    func establish(_ session: Session, before hooks: ResponseHooks) {
        let handler = self.handler
        hooks.add { handler.value.establish(session) }
    }
}
