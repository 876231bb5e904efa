import NIOCore
import ParleyModel
import ParleyProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Writing frames, closing, and the per-connection deadlines.
extension ConnectionHandler {

    /// Writes a payload whose size the sender already added to ``outbound``.
    func writeCounted(_ payload: [UInt8]) {
        let size = payload.count + 4
        guard let context, machine.acceptsWrites else {
            outbound.add(-size)
            return
        }
        send(Frame.encode(payload, allocator: context.channel.allocator), counted: size, context: context)
    }

    func write(_ response: JSONValue) {
        guard let context, machine.acceptsWrites else { return }
        let frame = Frame.encode(JSONWriter.bytes(response), allocator: context.channel.allocator)
        outbound.add(frame.readableBytes)
        send(frame, counted: frame.readableBytes, context: context)
    }

    /// Writes `frame` (already counted in ``outbound``) and lets the machine judge the output:
    /// above the pause mark it stops reading and starting, far above it the connection closes.
    private func send(_ frame: ByteBuffer, counted size: Int, context: ChannelHandlerContext) {
        let outbound = self.outbound
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        let written = context.write(wrapOutboundOut(frame))
        if flushAtReadComplete.reading {
            flushAtReadComplete.pending = true
        } else {
            context.flush()
        }
        written.whenComplete { _ in
            outbound.add(-size)
            handler.value.outputProgressed()
        }
        if let reason = machine.outputChanged(pending: outbound.pending, at: clock()) { close(reason) }
    }

    /// A write completed: output that fell back under the mark lets waiting messages start.
    private func outputProgressed() {
        let wasPaused = machine.isOutputPaused
        _ = machine.outputChanged(pending: outbound.pending, at: clock())
        if wasPaused, !machine.isOutputPaused { admitWaiting() }
    }

    /// Writes a last frame and closes; the connection is gone by the machine's close deadline
    /// even if the peer never reads the frame. With `lingering` (a frame refused while the
    /// client may still be sending it), the output is closed first and input is read and
    /// discarded until the linger time ends: closing a socket with unread input sends a reset,
    /// which can make the client lose the very error frame that explains the close.
    func writeAndClose(_ response: JSONValue, lingering: Bool = false) {
        guard let context, machine.closeRequested(at: clock(), lingering: lingering) else { return }
        let frame = Frame.encode(JSONWriter.bytes(response), allocator: context.channel.allocator)
        let channel = self.channel
        if lingering {
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(mode: .output, promise: nil) }
            if machine.readRequested() { context.read() }
        } else {
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Closes the connection now (the reason is logged; nil: an error already logged). A peer
    /// that does not read gets a reset: a plain close would leave the unsent bytes (and the FIN
    /// behind them) queued in the kernel for as long as the peer keeps its window shut.
    func close(_ reason: ConnectionStateMachine<QueuedFrame>.CloseReason?) {
        if let reason { log(reason) }
        machine.closed()
        if reason?.meansThePeerDoesNotRead == true, let socket = channel as? any SocketOptionProvider {
            socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { [channel] _ in channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
    }

    func checkDeadlines() {
        switch machine.tick(at: clock(), partialFrameSince: frameState.partialFrameSince, watching: !subscriptions.isEmpty) {
        case .none:
            break
        case .closeAfterHelloTimeoutNotice:
            logger.notice("closing: hello not completed in time")
            writeAndClose(RPCResponse.failure(id: nil, error: RPCError(.unauthenticated, "hello was not completed in time; closing")))
        case .close(let reason):
            close(reason)
        }
    }

    private func log(_ reason: ConnectionStateMachine<QueuedFrame>.CloseReason) {
        switch reason {
        case .idle, .drained: logger.debug("closing: \(reason.logText)")
        default: logger.notice("closing: \(reason.logText)")
        }
    }
}

extension ConnectionStateMachine.CloseReason {
    /// Whether the close is because the peer does not take what is sent to it.
    var meansThePeerDoesNotRead: Bool {
        self == .outputStalled || self == .outputOverLimit || self == .closeTimedOut
    }

    /// What the log says when a connection is closed for this reason.
    var logText: String {
        switch self {
        case .helloTimeout: "hello not completed in time"
        case .partialFrame: "frame left half-sent"
        case .idle: "idle"
        case .outputStalled: "the client has not read its responses in time"
        case .outputOverLimit: "the client's unread responses passed the limit"
        case .closeTimedOut: "the last frame was not taken in time"
        case .drained: "shutting down"
        }
    }
}
