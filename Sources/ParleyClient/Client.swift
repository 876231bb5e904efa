import NIOCore
import NIOPosix
import NIOSSL
import ParleyModel
import ParleyProtocol
import ParleyTLS

/// An async client for a Parley server.
///
/// Calls may be made concurrently from many tasks: they are pipelined on one connection and
/// each response is matched to its call by id, never by arrival order. A server error is thrown
/// as ``RPCError`` (switch on `code`); a lost connection as ``ParleyClientError``.
public final class Client: Sendable {
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

    /// Connects to `host:port`, over TLS when `tls` is given (the server's certificate is verified
    /// and its name checked; a failure throws ``ParleyClientError/tlsHandshakeFailed(_:)``).
    public static func connect(
        host: String, port: Int, tls: PreparedClientTLS? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Client {
        let (notifications, continuation) = AsyncStream.makeStream(of: ServerNotification.self, bufferingPolicy: .bufferingNewest(10_000))
        let handshake = group.any().makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandlers([
                                try tls.makeHandler(host: host), TLSHandshakeWaiter(promise: handshake),
                            ])
                        } else {
                            handshake.succeed()
                        }
                        let state = FrameState(maximumFrameBytes: 256 << 20)
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(FrameDecoder(state: state)), ResponseRouter(notifications: continuation),
                        ])
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            handshake.succeed()  // never awaited
            throw error
        }
        do {
            try await handshake.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        let router: NIOLoopBound<ResponseRouter>
        do {
            router = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseRouter.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            // The pipeline is gone: the server closed the connection right after connecting. With
            // TLS 1.3 that is how a server refuses a client certificate (after the client's handshake).
            try? await channel.close()
            if tls != nil {
                throw ParleyClientError.tlsHandshakeFailed(
                    "the server closed the connection right after the handshake (does it require a client certificate, or refuse this one?)")
            }
            throw ParleyClientError.connectionClosed
        }
        return Client(channel: channel, handler: router, notifications: notifications)
    }

    /// Connects, then authenticates with `hello`; returns the client and the hello result.
    public static func connect(
        host: String, port: Int, apiKey: String, tls: PreparedClientTLS? = nil, clientName: String = "parley-swift/\(Client.version)"
    ) async throws -> (client: Client, hello: JSONValue) {
        let client = try await connect(host: host, port: port, tls: tls)
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
    public func hello(apiKey: String, clientName: String = "parley-swift/\(Client.version)") async throws -> JSONValue {
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

    /// Why the server closed the connection, when it said so (a revoked or expired key, a missed
    /// deadline): the last error it sent for no request. Nil while it is open or if it said nothing.
    public var closingError: RPCError? {
        get async {
            let handler = self.handler
            return try? await channel.eventLoop.submit { handler.value.closingError }.get()
        }
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
    /// TLS could not be set up with the server: its certificate is not trusted, has expired or is
    /// for another name, or it wanted a client certificate that was not sent or not accepted.
    case tlsHandshakeFailed(String)

    public var description: String {
        switch self {
        case .connectionClosed: "the connection to the server was closed"
        case .invalidResponse(let detail): "invalid response from the server: \(detail)"
        case .tlsHandshakeFailed(let detail): "TLS handshake with the server failed: \(detail)"
        }
    }
}
