import ParleyModel

/// A JSON-RPC error object: `{"code", "message", "data": {"kind", ...}}`.
///
/// Messages are for humans and never carry secrets or internals; clients switch on ``code``
/// or on `data.kind`.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A protocol error code together with its stable kind name. Extensible: later protocol
    /// versions add codes as new static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The numeric JSON-RPC code.
        public let value: Int
        /// The stable snake_case name carried in `data.kind`.
        public let kind: String

        public init(value: Int, kind: String) {
            self.value = value
            self.kind = kind
        }

        public var description: String { "\(kind) (\(value))" }

        public static let parseError = Code(value: -32700, kind: "parse_error")
        public static let invalidRequest = Code(value: -32600, kind: "invalid_request")
        public static let methodNotFound = Code(value: -32601, kind: "method_not_found")
        public static let invalidParams = Code(value: -32602, kind: "invalid_params")
        public static let internalError = Code(value: -32603, kind: "internal")
        public static let unauthenticated = Code(value: -32001, kind: "unauthenticated")
        public static let forbidden = Code(value: -32003, kind: "forbidden")
        public static let notFound = Code(value: -32004, kind: "not_found")
        public static let conflict = Code(value: -32009, kind: "conflict")
        public static let rateLimited = Code(value: -32010, kind: "rate_limited")
        public static let payloadTooLarge = Code(value: -32011, kind: "payload_too_large")
        public static let busy = Code(value: -32014, kind: "busy")
        public static let gone = Code(value: -32012, kind: "gone")
        /// The store cannot take the request now (disk full, read-only, locked, or a write over
        /// its time budget); nothing was changed; retry later.
        public static let unavailable = Code(value: -32015, kind: "unavailable")

        /// Every code this protocol version defines.
        public static let all: [Code] = [
            .parseError, .invalidRequest, .methodNotFound, .invalidParams, .internalError, .unauthenticated,
            .forbidden, .notFound, .conflict, .rateLimited, .gone, .payloadTooLarge, .busy, .unavailable,
        ]

        /// The defined code with this numeric value, or an `unknown` one.
        public static func from(value: Int, kind: String?) -> Code {
            all.first { $0.value == value } ?? Code(value: value, kind: kind ?? "unknown")
        }
    }

    public var code: Code
    public var message: String
    /// Members of `data` besides `kind`.
    public var data: [String: JSONValue]

    public init(_ code: Code, _ message: String, data: [String: JSONValue] = [:]) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(code.kind): \(message)" }

    /// The wire form of the error object.
    public var json: JSONValue {
        var members = data
        members["kind"] = .string(code.kind)
        return ["code": .int(Int64(code.value)), "message": .string(message), "data": .object(members)]
    }

    /// Reads an error object received from a peer.
    public init?(json: JSONValue) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        var data = json["data"]?.objectValue ?? [:]
        let kind = data.removeValue(forKey: "kind")?.stringValue
        self.init(Code.from(value: Int(code), kind: kind), message, data: data)
    }
}
