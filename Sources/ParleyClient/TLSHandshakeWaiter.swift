import NIOCore
import NIOSSL
import NIOTLS

/// Completes `promise` when the TLS handshake completes, or fails it with what went wrong (a
/// certificate that does not verify, a wrong name, an expired certificate, a closed connection),
/// so that `connect` reports TLS failures instead of a later call seeing a closed connection.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise.succeed()
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(ParleyClientError.tlsHandshakeFailed(Self.describe(error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ParleyClientError.tlsHandshakeFailed("the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }

    /// A sentence for a person, from NIOSSL's errors.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            // BoringSSL does not say which check failed.
            return "the server's certificate was refused: it is not issued by a CA this client trusts, or has expired, or is not yet valid (\(text))"
        }
        if text.contains("failedToValidateHostname") { return "the server's certificate is not valid for this name (\(text))" }
        return text
    }
}
