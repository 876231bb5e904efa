import ParleyAuth
import ParleyModel
import ParleyProtocol

/// `hello`, `ping`, `server.info` and `rpc.discover`.
enum SessionMethods {
    static let protocolVersion: Int64 = 1

    static let all: [Method] = [
        Method("hello", permission: .anyone, immediate: helloFromMemory, handler: hello),
        Method("ping", permission: .anyone, immediate: { _, params in try ping(params) }) { _, params in try ping(params) },
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

    private static func ping(_ params: [String: JSONValue]) throws -> JSONValue {
        var reader = ParamReader(params)
        try reader.finish()
        return [:]
    }

    static func info(_ configuration: ParleyServer.Configuration) -> JSONValue {
        [
            "name": "parleyd",
            "version": .string(configuration.serverVersion),
            "protocol_version": .int(protocolVersion),
            "limits": configuration.limitsJSON,
        ]
    }

    /// What a `hello` asks for, read and checked.
    private struct HelloRequest {
        var apiKey: String
        var client: String?

        init(_ params: [String: JSONValue]) throws {
            var reader = ParamReader(params)
            let apiKey = reader.string("api_key", required: true)
            if apiKey?.isEmpty == true { reader.report("api_key", "is required (it is empty: no API key was given)") }
            if let version = reader.integer("protocol_version", required: true), version != protocolVersion {
                reader.report("protocol_version", "unsupported; this server speaks protocol version \(protocolVersion)")
            }
            client = reader.string("client")
            if let client, client.utf8.count > 200 || TextRules.hasControlCharacter(client) {
                reader.report("client", "must be at most 200 bytes without control characters")
            }
            try reader.finish()
            self.apiKey = apiKey!
        }
    }

    /// `hello` with a key verified before: answered on the event loop, no argon2id.
    @Sendable static func helloFromMemory(_ context: RequestContext, _ params: [String: JSONValue]) throws -> JSONValue? {
        let request = try HelloRequest(params)
        guard let key = context.services.verifier.verifyFromMemory(request.apiKey, peer: context.connection.peerIP) else { return nil }
        return establish(key, request, context)
    }

    @Sendable static func hello(_ context: RequestContext, _ params: [String: JSONValue]) async throws -> JSONValue {
        let request = try HelloRequest(params)
        let key: APIKey
        do {
            key = try await context.services.verifier.verify(request.apiKey, peer: context.connection.peerIP)
        } catch {
            throw refusal(error, context)
        }
        return establish(key, request, context)
    }

    private static func refusal(_ failure: KeyVerifier.Failure, _ context: RequestContext) -> RPCError {
        switch failure {
        case .busy:
            context.logger.warning("hello refused: key verification queue full")
            return RPCError.busy("too many authentications in progress; retry shortly")
        case .throttled(let wait):
            context.logger.notice("hello refused: too many failed attempts")
            return RPCError(
                .rateLimited, "too many failed authentications for this key or address; \(RetryDelay.words(milliseconds: wait))",
                data: ["retry_after_ms": .int(wait)])
        case .unauthenticated:
            context.logger.notice("hello failed")
            return RPCError.unauthenticated
        }
    }

    /// Binds the connection to `key` (from the moment the answer is written) and answers.
    private static func establish(_ key: APIKey, _ request: HelloRequest, _ context: RequestContext) -> JSONValue {
        let session = Session(key: key)
        if let previous = context.session, previous.keyID != key.id {
            context.services.liveKeys.release(previous.keyID, from: context.connection.channel)
        }
        context.services.liveKeys.admit(key, on: context.connection.channel)
        context.connection.establish(session, before: context.beforeResponse)
        context.logger.info(
            "hello succeeded", metadata: ["key_id": "\(key.id)", "role": "\(key.role.rawValue)", "client": "\(request.client ?? "-")"])
        context.services.keyUse.noteUse(of: key.id)
        return [
            "protocol_version": .int(protocolVersion),
            "server_version": .string(context.services.configuration.serverVersion),
            "key": session.json,
            "limits": context.services.configuration.limitsJSON,
        ]
    }
}
