import NIOCore
import NIOPosix
import ParleyModel
import ParleyProtocol

/// An async client for a Parley server.
///
/// Calls may be made concurrently from many tasks: they are pipelined on one connection and
/// each response is matched to its call by id, never by arrival order. A server error is thrown
/// as ``RPCError`` (switch on `code`); a lost connection as ``ParleyClientError``.
public final class ParleyClient: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<ResponseRouter>
    /// Messages the server sends on its own (`watch.event`, `watch.closed`), in arrival order.
    /// The newest 10 000 are buffered for a consumer that falls behind. Ends when the connection closes.
    public let notifications: AsyncStream<ServerNotification>

    private init(channel: any Channel, handler: NIOLoopBound<ResponseRouter>, notifications: AsyncStream<ServerNotification>) {
        self.channel = channel
        self.handler = handler
        self.notifications = notifications
    }

    /// Connects to `host:port`.
    public static func connect(
        host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ParleyClient {
        let (notifications, continuation) = AsyncStream.makeStream(of: ServerNotification.self, bufferingPolicy: .bufferingNewest(10_000))
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let state = FrameState(maximumFrameBytes: 256 << 20)
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(state: state)), ResponseRouter(notifications: continuation),
                    ])
                }
            }
            .connect(host: host, port: port).get()
        let router = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseRouter.self), eventLoop: channel.eventLoop)
        }.get()
        return ParleyClient(channel: channel, handler: router, notifications: notifications)
    }

    /// Connects, then authenticates with `hello`; returns the client and the hello result.
    public static func connect(
        host: String, port: Int, apiKey: String, clientName: String = "parley-swift/\(ParleyClient.version)"
    ) async throws -> (client: ParleyClient, hello: JSONValue) {
        let client = try await connect(host: host, port: port)
        do {
            let hello = try await client.hello(apiKey: apiKey, clientName: clientName)
            return (client, hello)
        } catch {
            await client.close()
            throw error
        }
    }

    /// The client library version.
    public static let version = "0.1.0"

    /// Authenticates this connection.
    @discardableResult
    public func hello(apiKey: String, clientName: String = "parley-swift/\(ParleyClient.version)") async throws -> JSONValue {
        try await call("hello", ["api_key": .string(apiKey), "protocol_version": 1, "client": .string(clientName)])
    }

    /// Calls `method` with by-name `params` and returns its result.
    public func call(_ method: String, _ params: [String: JSONValue] = [:]) async throws -> JSONValue {
        let handler = self.handler
        let channel = self.channel
        let future = channel.eventLoop.flatSubmit {
            handler.value.send(method: method, params: params, channel: channel)
        }
        switch try await future.get() {
        case .success(let result): return result
        case .failure(let error): throw error
        }
    }

    /// Sends a notification (no response is expected or awaited).
    public func notify(_ method: String, _ params: [String: JSONValue] = [:]) async throws {
        let request = RPCRequest(id: nil, method: method, params: params)
        let frame = Frame.encode(JSONWriter.bytes(request.json), allocator: channel.allocator)
        try await channel.writeAndFlush(frame)
    }

    /// Closes the connection; pending calls fail with ``ParleyClientError/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }
}

/// Failures of the client itself (server errors are thrown as ``RPCError``).
public enum ParleyClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection closed before the response arrived.
    case connectionClosed
    /// The server sent something that is not a valid response.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the connection to the server was closed"
        case .invalidResponse(let detail): "invalid response from the server: \(detail)"
        }
    }
}
