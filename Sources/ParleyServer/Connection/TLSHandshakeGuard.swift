import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind the TLS handler until the handshake completes: a handshake that fails (a
/// plaintext client, garbage instead of a ClientHello, a missing or wrong client certificate)
/// or does not complete within the timeout closes the connection with a log line. Removes itself
/// once the handshake is done; the connection is then served as in plaintext.
final class TLSHandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var logger: Logger
    private var deadline: Scheduled<Void>?
    private var done = false

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        logger[metadataKey: "peer"] = "\(context.channel.remoteAddress?.description ?? "?")"
        let channel = context.channel
        let logger = self.logger
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            logger.notice("closing: TLS handshake not completed in time")
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event as? TLSUserEvent ?? .shutdownCompleted, !done {
            done = true
            deadline?.cancel()
            logger.debug("TLS handshake completed")
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !done else {
            context.fireErrorCaught(error)
            return
        }
        done = true
        deadline?.cancel()
        logger.notice("closing: TLS handshake failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
