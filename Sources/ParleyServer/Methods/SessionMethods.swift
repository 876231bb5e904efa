import ParleyAuth
import ParleyModel
import ParleyProtocol

/// `hello`, `ping`, `server.info` and `rpc.discover`.
enum SessionMethods {
    static let protocolVersion: Int64 = 1

    static let all: [Method] = [
        Method("hello", permission: .anyone, handler: hello),
        Method("ping", permission: .anyone) { _, params in
            var reader = ParamReader(params)
            try reader.finish()
            return [:]
        },
        Method("server.info", permission: .anyone) { context, params in
            var reader = ParamReader(params)
            try reader.finish()
            return info(context.services.configuration)
        },
        Method("rpc.discover", permission: .authenticated) { _, params in
            var reader = ParamReader(params)
            try reader.finish()
            return OpenRPCDocument.value
        },
    ]

    static func info(_ configuration: ParleyServer.Configuration) -> JSONValue {
        [
            "name": "parleyd",
            "version": .string(configuration.serverVersion),
            "protocol_version": .int(protocolVersion),
            "limits": configuration.limitsJSON,
        ]
    }

    @Sendable static func hello(_ context: RequestContext, _ params: [String: JSONValue]) async throws -> JSONValue {
        var reader = ParamReader(params)
        let apiKey = reader.string("api_key", required: true)
        if let version = reader.integer("protocol_version", required: true), version != protocolVersion {
            reader.report("protocol_version", "unsupported; this server speaks protocol version \(protocolVersion)")
        }
        let client = reader.string("client")
        if let client, client.utf8.count > 200 || TextRules.hasControlCharacter(client) {
            reader.report("client", "must be at most 200 bytes without control characters")
        }
        try reader.finish()
        let key: APIKey
        do {
            key = try await context.services.verifier.verify(apiKey!, peer: context.connection.peerIP)
        } catch .busy {
            context.logger.warning("hello refused: key verification queue full")
            throw RPCError.busy("too many authentications in progress; retry shortly")
        } catch .throttled(let wait) {
            context.logger.notice("hello refused: too many failed attempts")
            throw RPCError(
                .rateLimited, "too many failed authentications for this key or address; retry later",
                data: ["retry_after_ms": .int(wait)])
        } catch {
            context.logger.notice("hello failed")
            throw RPCError.unauthenticated
        }
        let session = Session(key: key)
        if let previous = context.session, previous.keyID != key.id {
            context.services.liveKeys.release(previous.keyID, from: context.connection.channel)
        }
        context.services.liveKeys.admit(key, on: context.connection.channel)
        context.connection.establish(session, before: context.beforeResponse)
        context.logger.info(
            "hello succeeded", metadata: ["key_id": "\(key.id)", "role": "\(key.role.rawValue)", "client": "\(client ?? "-")"])
        context.services.keyUse.noteUse(of: key.id)
        return [
            "protocol_version": .int(protocolVersion),
            "server_version": .string(context.services.configuration.serverVersion),
            "key": session.json,
            "limits": context.services.configuration.limitsJSON,
        ]
    }
}
