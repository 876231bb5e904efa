import NIOCore
import NIOPosix

/// A minimal Redis (RESP2) client for the reference runs: `GET` and `SET` over one connection,
/// driven by the same lanes, tasks and histograms as the Parley runs, so that both servers are
/// measured through one load generator (issue 14: `redis-benchmark` is lighter than any client
/// written on async Swift, which flatters Redis). Replies are matched in order, as RESP is.
final class RedisClient: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func connect(host: String, port: Int) async throws -> RedisClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([ByteToMessageHandler(RESPReplyDecoder()), RESPReplyRouter()])
                }
            }
            .connect(host: host, port: port).get()
        return RedisClient(channel: channel)
    }

    /// `GET key`: the value's length, or nil for a missing key.
    @discardableResult
    func get(_ key: String) async throws -> Int? {
        try await send(["GET", key]).length
    }

    func set(_ key: String, _ value: String) async throws {
        _ = try await send(["SET", key, value])
    }

    func close() async {
        try? await channel.close()
    }

    private func send(_ arguments: [String]) async throws -> RESPReply {
        var buffer = channel.allocator.buffer(capacity: 64)
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
        let promise = channel.eventLoop.makePromise(of: RESPReply.self)
        channel.writeAndFlush(RESPRequest(bytes: buffer, reply: promise), promise: nil)
        let reply = try await promise.futureResult.get()
        if case .error(let message) = reply { throw RedisError(message: message) }
        return reply
    }
}

struct RedisError: Error, CustomStringConvertible {
    let message: String
    var description: String { "redis: \(message)" }
}

/// A command's bytes and the promise its reply completes.
struct RESPRequest {
    let bytes: ByteBuffer
    let reply: EventLoopPromise<RESPReply>
}

/// The replies the reference runs meet: a simple string, an error, or a bulk string (its length only).
enum RESPReply: Sendable {
    case simple
    case error(String)
    case bulk(length: Int?)

    var length: Int? { if case .bulk(let length) = self { length } else { nil } }
}

/// Decodes `+...`, `-...` and `$n` replies (the only ones GET and SET give).
struct RESPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPReply

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let lineEnd = view.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        let line = String(decoding: view[view.startIndex..<(lineEnd - 1)], as: UTF8.self)
        let headerBytes = lineEnd - view.startIndex + 1
        let reply: RESPReply
        var consumed = headerBytes
        switch line.first {
        case "+": reply = .simple
        case "-": reply = .error(String(line.dropFirst()))
        case "$":
            guard let length = Int(line.dropFirst()) else { throw RedisError(message: "bad bulk length \(line)") }
            if length < 0 {
                reply = .bulk(length: nil)
            } else {
                guard buffer.readableBytes >= headerBytes + length + 2 else { return .needMoreData }
                reply = .bulk(length: length)
                consumed += length + 2
            }
        default: throw RedisError(message: "unexpected reply \(line.prefix(20))")
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }
}

/// Writes commands and completes their promises in order; a closed connection fails what is pending.
final class RESPReplyRouter: ChannelDuplexHandler {
    typealias InboundIn = RESPReply
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    private var pending = CircularBuffer<EventLoopPromise<RESPReply>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(request.reply)
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.popFirst()?.succeed(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = pending.popFirst() { promise.fail(RedisError(message: "the connection closed")) }
        context.fireChannelInactive()
    }
}
