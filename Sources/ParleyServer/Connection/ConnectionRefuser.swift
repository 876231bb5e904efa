import NIOCore
import ParleyModel
import ParleyProtocol

/// Installed on a connection past the connection cap: sends one -32014 frame, then closes.
final class ConnectionRefuser: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        let error = RPCError.busy("the server is at its connection limit; retry later")
        let frame = Frame.encode(JSONWriter.bytes(RPCResponse.failure(id: nil, error: error)), allocator: context.channel.allocator)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
