import ParleyModel

/// A JSON-RPC request id: a string or an integer (null and fractional ids are refused).
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    /// The id as it appears on the wire.
    public var json: JSONValue {
        switch self {
        case .int(let number): .int(number)
        case .string(let text): .string(text)
        }
    }

    /// Reads an id; `nil` for any value that is not a string or an integer.
    public init?(json: JSONValue) {
        switch json {
        case .int(let number): self = .int(number)
        case .string(let text): self = .string(text)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .int(let number): String(number)
        case .string(let text): "\"\(text)\""
        }
    }
}
