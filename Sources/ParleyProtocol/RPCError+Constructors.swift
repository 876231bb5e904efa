import ParleyModel

extension RPCError {
    /// -32602 listing every problem found.
    public static func invalidParams(_ issues: [ValidationIssue]) -> RPCError {
        let summary = issues.count == 1 ? issues[0].description : "\(issues.count) problems: " + issues.map(\.description).joined(separator: "; ")
        return RPCError(.invalidParams, "invalid params: \(summary)", data: ["errors": .array(issues.map(\.json))])
    }

    /// -32602 for a single field.
    public static func invalidParam(_ path: String, _ message: String) -> RPCError {
        invalidParams([ValidationIssue(path: path, message: message)])
    }

    /// -32001, the same for every authentication failure so that nothing is revealed.
    public static let unauthenticated = RPCError(.unauthenticated, "authentication failed")

    /// -32001 for a method called before a successful `hello`.
    public static let helloRequired = RPCError(.unauthenticated, "call hello with an API key first")

    // swift-format-ignore: DontRepeatTypeInStaticProperties
    // (named as JSON-RPC names the code, like `RPCError.Code.internalError`)
    /// -32603 without internals.
    public static let internalError = RPCError(.internalError, "internal error; the server log has details")

    /// -32014 when a bounded queue is full.
    public static func busy(_ message: String) -> RPCError {
        RPCError(.busy, message)
    }

    /// The JSON-RPC error for a configuration failure.
    public init(_ failure: ConfigError) {
        switch failure {
        case .invalid(let issues):
            self = .invalidParams(issues)
        case .notFound(let type, let id):
            // The id is the caller's text: echoed cut short, so a huge id cannot inflate the answer.
            let echoed = TextRules.shortened(id)
            self.init(.notFound, "\(type) \(echoed) not found", data: ["type": .string(type), "id": .string(echoed)])
        case .conflict(let reason, let message, let currentRevision, let details):
            var data = details
            data["reason"] = .string(reason)
            if let currentRevision { data["current_revision"] = .int(currentRevision) }
            self.init(.conflict, message, data: data)
        }
    }
}
