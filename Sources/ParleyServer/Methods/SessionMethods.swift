import ParleyAuth
import ParleyModel
import ParleyProtocol

/// `hello`, `ping`, `server.info` and `rpc.discover`.
enum SessionMethods {
    static let protocolVersion: Int64 = 1

    static let all: [Method] = [
        Method("hello", permission: .anyone, immediate: helloFromMemory, handler: hello),
        Method("ping", permission: .anyone, immediate: pingNow, handler: ping),
        Method("server.info", permission: .anyone, handler: serverInfo),
        Method("rpc.discover", permission: .authenticated, handler: discover),
    ]

    static func pingNow(_ context: RequestContext, _ params: NoParams) -> JSONValue? { [:] }

    static func ping(_ context: RequestContext, _ params: NoParams) -> JSONValue { [:] }

    static func serverInfo(_ context: RequestContext, _ params: NoParams) -> JSONValue {
        info(context.services.configuration)
    }

    static func discover(_ context: RequestContext, _ params: NoParams) -> JSONValue { OpenRPCDocument.value }

    static func info(_ configuration: Server.Configuration) -> JSONValue {
        [
            "name": "parleyd",
            "version": .string(configuration.serverVersion),
            "protocol_version": .int(protocolVersion),
            "limits": configuration.limitsJSON,
        ]
    }

    /// `hello` with a key verified before: answered on the event loop, no argon2id.
    static func helloFromMemory(_ context: RequestContext, _ request: HelloParams) -> JSONValue? {
        guard let key = context.services.verifier.verifyFromMemory(request.apiKey, peer: context.connection.peerIP) else { return nil }
        return establish(key, request, context)
    }

    static func hello(_ context: RequestContext, _ request: HelloParams) async throws -> JSONValue {
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
    private static func establish(_ key: APIKey, _ request: HelloParams, _ context: RequestContext) -> JSONValue {
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
