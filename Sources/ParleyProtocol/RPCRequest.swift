import ParleyModel

/// A well-formed JSON-RPC 2.0 request or notification.
public struct RPCRequest: Sendable, Hashable {
    /// `nil` for a notification, which gets no response.
    public var id: RequestID?
    public var method: String
    /// The by-name params (an absent `params` reads as an empty object).
    public var params: [String: JSONValue]

    public init(id: RequestID?, method: String, params: [String: JSONValue] = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether the sender expects no response.
    public var isNotification: Bool { id == nil }

    /// The wire form.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let id { members["id"] = id.json }
        if !params.isEmpty { members["params"] = .object(params) }
        return .object(members)
    }
}

/// One entry of an incoming message, after envelope checks.
public enum IncomingEntry: Sendable, Hashable {
    /// A valid request or notification.
    case request(RPCRequest)
    /// An entry that is not a valid request; answered with `error` under `id` (null when unreadable).
    case invalid(id: RequestID?, error: RPCError)
    /// A well-formed notification whose params cannot be used: it is not run, and (being a
    /// notification) gets no reply.
    case unusableNotification
}

/// An incoming JSON-RPC message: one entry or a batch.
public enum IncomingMessage: Sendable, Hashable {
    case single(IncomingEntry)
    case batch([IncomingEntry])
    /// The whole message is refused with one error (id null): empty or oversized batch, wrong top level.
    case rejected(RPCError)

    /// Classifies a parsed JSON value per JSON-RPC 2.0, with batches of at most `maximumBatch` entries.
    public static func classify(_ value: JSONValue, maximumBatch: Int) -> IncomingMessage {
        switch value {
        case .object:
            return .single(IncomingEntry.classify(value))
        case .array(let elements):
            guard !elements.isEmpty else { return .rejected(RPCError(.invalidRequest, "empty batch")) }
            guard elements.count <= maximumBatch else {
                return .rejected(RPCError(.invalidRequest, "batch of \(elements.count) entries exceeds the limit of \(maximumBatch)"))
            }
            return .batch(elements.map(IncomingEntry.classify))
        default:
            return .rejected(RPCError(.invalidRequest, "a message must be a JSON object or a batch array, not \(value.typeName)"))
        }
    }
}

extension IncomingEntry {
    /// Compared, not hashed: this runs for every member of every request.
    private static func isEnvelopeMember(_ name: String) -> Bool {
        switch name {
        case "jsonrpc", "id", "method", "params": true
        default: false
        }
    }

    /// Checks one request object's envelope.
    public static func classify(_ value: JSONValue) -> IncomingEntry {
        guard let members = value.objectValue else {
            return .invalid(id: nil, error: RPCError(.invalidRequest, "a request must be a JSON object, not \(value.typeName)"))
        }
        var id: RequestID?
        if let rawID = members["id"] {
            guard let parsed = RequestID(json: rawID) else {
                return .invalid(id: nil, error: RPCError(.invalidRequest, "id must be a string or a 64-bit integer, not \(describeInvalidID(rawID))"))
            }
            id = parsed
        }
        func invalid(_ message: String) -> IncomingEntry {
            .invalid(id: id, error: RPCError(.invalidRequest, message))
        }
        guard members["jsonrpc"] == .string("2.0") else { return invalid("\"jsonrpc\" must be \"2.0\"") }
        guard let method = members["method"]?.stringValue else { return invalid("\"method\" must be a string") }
        // The first unknown name in order, found without sorting every name (a valid request
        // allocates nothing here).
        if let unknown = members.keys.filter({ !isEnvelopeMember($0) }).min() {
            return invalid("unknown member \"\(unknown)\" in request")
        }
        switch members["params"] {
        case nil:
            return .request(RPCRequest(id: id, method: method))
        case .object(let params)?:
            return .request(RPCRequest(id: id, method: method, params: params))
        case .array?:
            guard id != nil else { return .unusableNotification }
            return .invalid(id: id, error: RPCError.invalidParam("params", "must be an object (params by name); positional params are not supported"))
        case let other?:
            return invalid("\"params\" must be an object, not \(other.typeName)")
        }
    }
}

private func describeInvalidID(_ id: JSONValue) -> String {
    switch id {
    case .null: "null"
    case .double(let number) where number == number.rounded() && abs(number) < 9.2e18:
        "a number written with a fraction or an exponent (such as 1.0 or 1e2): send an integer (1) or a string"
    case .double(let number) where number == number.rounded(): "an integer outside the 64-bit range"
    case .double: "a fractional number"
    case .bool: "a boolean"
    case .array: "an array"
    case .object: "an object"
    case .int, .string, .raw: "that value"
    }
}
