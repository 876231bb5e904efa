import NIOCore
import ParleyModel
import ParleyProtocol

/// Sends requests and hands each response to the call waiting for its id.
final class ResponseRouter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let notifications: AsyncStream<ServerNotification>.Continuation
    private var nextID: Int64 = 1
    private var waiting: [RequestID: EventLoopPromise<Result<JSONValue, RPCError>>] = [:]
    private var closed = false
    /// The last error the server sent for no request (it closes the connection after one).
    private(set) var closingError: RPCError?

    init(notifications: AsyncStream<ServerNotification>.Continuation) {
        self.notifications = notifications
    }

    func send(method: String, params: [String: JSONValue], channel: any Channel) -> EventLoopFuture<Result<JSONValue, RPCError>> {
        guard !closed else { return channel.eventLoop.makeFailedFuture(ParleyClientError.connectionClosed) }
        let id = RequestID.int(nextID)
        nextID += 1
        let promise = channel.eventLoop.makePromise(of: Result<JSONValue, RPCError>.self)
        waiting[id] = promise
        let request = RPCRequest(id: id, method: method, params: params)
        let frame = Frame.encode(JSONWriter.bytes(request.json), allocator: channel.allocator)
        let router = NIOLoopBound(self, eventLoop: channel.eventLoop)
        channel.writeAndFlush(frame).whenFailure { _ in
            router.value.waiting.removeValue(forKey: id)?.fail(ParleyClientError.connectionClosed)
        }
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let value = try? JSONParser.parse(frame.readableBytesView, configuration: .init(maximumDepth: 512)),
            let response = RPCResponse.read(value)
        else {
            failAll(ParleyClientError.invalidResponse("unreadable frame"))
            context.close(promise: nil)
            return
        }
        switch response {
        case .success(let id, let result):
            waiting.removeValue(forKey: id)?.succeed(.success(result))
        case .failure(let id?, let error):
            waiting.removeValue(forKey: id)?.succeed(.failure(error))
        case .failure(nil, let error):
            // An error the server could not tie to a request (framing, timeouts, a revoked key):
            // every pending call gets it, since the server closes the connection after sending it.
            closingError = error
            for promise in waiting.values { promise.succeed(.failure(error)) }
            waiting.removeAll()
        case .notification(let method, let params):
            notifications.yield(ServerNotification(method: method, params: params))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        notifications.finish()
        failAll(ParleyClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(ParleyClientError.invalidResponse("\(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        let pending = waiting
        waiting.removeAll()
        for promise in pending.values { promise.fail(error) }
    }
}
