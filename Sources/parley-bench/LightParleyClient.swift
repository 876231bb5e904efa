import NIOCore
import NIOPosix
import ParleyModel
import ParleyProtocol

/// A Parley connection that reads a response only as far as it must: its id (first in the
/// server's canonical output, `{"id":N,...`) and whether it is an error. It is the client side
/// of the reference runs with `--light-client`: the Redis client reads a bulk reply's length and
/// skips the value, as `redis-benchmark` does, and this does the same for Parley, so that the
/// load generator's own JSON parsing (a list of 50 objects costs it three times the server's
/// CPU) does not decide the figure on a machine it shares with the server.
final class LightParleyClient: Sendable {
    private let channel: any Channel
    private let router: NIOLoopBound<LightResponseRouter>

    private init(channel: any Channel, router: NIOLoopBound<LightResponseRouter>) {
        self.channel = channel
        self.router = router
    }

    /// Connects and says hello with `apiKey` (the hello response is read in full).
    static func connect(host: String, port: Int, apiKey: String) async throws -> LightParleyClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(state: FrameState(maximumFrameBytes: 256 << 20))), LightResponseRouter(),
                    ])
                }
            }
            .connect(host: host, port: port).get()
        let router = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: LightResponseRouter.self), eventLoop: channel.eventLoop)
        }.get()
        let client = LightParleyClient(channel: channel, router: router)
        try await client.call("hello", ["api_key": .string(apiKey), "protocol_version": 1, "client": "parley-bench"])
        return client
    }

    /// Calls `method`; throws the server's error (message only), returns nothing of the result.
    func call(_ method: String, _ params: [String: JSONValue]) async throws {
        let router = self.router
        let channel = self.channel
        try await channel.eventLoop.flatSubmit { router.value.send(method: method, params: params, channel: channel) }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Matches responses to calls by the id at the start of the server's canonical response.
final class LightResponseRouter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var nextID: Int64 = 1
    private var waiting: [Int64: EventLoopPromise<Void>] = [:]

    func send(method: String, params: [String: JSONValue], channel: any Channel) -> EventLoopFuture<Void> {
        let id = nextID
        nextID += 1
        let promise = channel.eventLoop.makePromise(of: Void.self)
        waiting[id] = promise
        let request = RPCRequest(id: .int(id), method: method, params: params)
        channel.writeAndFlush(Frame.encode(JSONWriter.bytes(request.json), allocator: channel.allocator), promise: nil)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let prefix = Array("{\"id\":".utf8)
        let bytes = frame.readableBytesView
        if bytes.starts(with: prefix) {
            var id: Int64 = 0
            for byte in bytes.dropFirst(prefix.count) {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { break }
                id = id * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            waiting.removeValue(forKey: id)?.succeed(())
            return
        }
        // An error (or a notification): rare, so read in full.
        let value = try? JSONParser.parse(bytes, configuration: .init(maximumDepth: 512))
        let message = value?["error"]?["message"]?.stringValue ?? "unreadable response"
        if let id = value?["id"]?.intValue {
            waiting.removeValue(forKey: id)?.fail(LightCallError(message: message))
        } else if value?["method"] == nil {
            failAll(LightCallError(message: message))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(LightCallError(message: "the connection closed"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: LightCallError) {
        let pending = waiting
        waiting.removeAll()
        for promise in pending.values { promise.fail(error) }
    }
}

struct LightCallError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
