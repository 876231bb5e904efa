import NIOCore
import ParleyModel
import ParleyProtocol

/// Writing frames, closing, and the per-connection deadlines.
extension ConnectionHandler {

    /// Writes a payload whose size the sender already added to ``outbound``.
    func writeCounted(_ payload: [UInt8]) {
        let size = payload.count + 4
        guard let context, context.channel.isActive, !closing else {
            outbound.add(-size)
            return
        }
        let frame = Frame.encode(payload, allocator: context.channel.allocator)
        let outbound = self.outbound
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in outbound.add(-size) }
    }

    func write(_ response: JSONValue) {
        guard let context, context.channel.isActive, !closing else { return }
        let frame = Frame.encode(JSONWriter.bytes(response), allocator: context.channel.allocator)
        let size = frame.readableBytes
        outbound.add(size)
        let outbound = self.outbound
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in outbound.add(-size) }
    }

    /// Writes a last frame and closes. With `lingering` (a frame refused while the client may
    /// still be sending it), the output is closed first and input is read and discarded for up to
    /// ``lingerTime``: closing a socket with unread input sends a reset, which can make the
    /// client lose the very error frame that explains the close.
    func writeAndClose(_ response: JSONValue, lingering: Bool = false) {
        guard let context, !closing else { return }
        draining = true
        closing = true
        let frame = Frame.encode(JSONWriter.bytes(response), allocator: context.channel.allocator)
        let channel = context.channel
        guard lingering else {
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        discardingInput = true
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(mode: .output, promise: nil) }
        context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        if readHeld {
            readHeld = false
            context.read()
        }
    }

    /// How long a refused client gets to finish sending and read the refusal.
    static let lingerTime = TimeAmount.seconds(1)

    func closeIfDrained() {
        guard draining, inFlight == 0, waitingHead == waiting.count, let context else { return }
        context.close(promise: nil)
    }

    func checkDeadlines() {
        guard let context, context.channel.isActive, !closing else { return }
        let now = NIODeadline.now()
        if session == nil, now - connectedAt > configuration.helloTimeout {
            logger.notice("closing: hello not completed in time")
            writeAndClose(RPCResponse.failure(id: nil, error: RPCError(.unauthenticated, "hello was not completed in time; closing")))
        } else if let since = frameState.partialFrameSince, now - since > configuration.partialFrameTimeout {
            logger.notice("closing: frame left half-sent")
            context.close(promise: nil)
        } else if inFlight == 0, subscriptions.isEmpty, now - lastActivity > configuration.idleTimeout {
            logger.debug("closing: idle")
            context.close(promise: nil)
        }
    }}
