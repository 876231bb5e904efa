import NIOCore

/// A Sendable reference to one connection, for handlers running off its event loop.
///
/// A class, made once per connection: every request's context holds it, and a struct of six
/// references cost six retains and releases at each of the context's copies on the read path.
public final class ConnectionHandle: Sendable {
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

    init(
        eventLoop: any EventLoop, handler: NIOLoopBound<ConnectionHandler>, peer: String, peerIP: String?, channel: any Channel,
        outbound: OutboundMeter
    ) {
        self.eventLoop = eventLoop
        self.handler = handler
        self.peer = peer
        self.peerIP = peerIP
        self.channel = channel
        self.outbound = outbound
    }

    /// Marks the connection as authenticated, on the event loop, right before the `hello` response
    /// is written (so the new limits are in force when the client reads it), without an extra hop.
    func establish(_ session: Session, before hooks: ResponseHooks) {
        let handler = self.handler
        hooks.add { handler.value.establish(session) }
    }
}
