/// A failure of a configuration operation that the caller can act on.
///
/// The store and the validators throw it; the server maps each case to its JSON-RPC error code.
public enum ConfigError: Error, Sendable, Equatable {
    /// The input broke one or more rules; every problem found is listed.
    case invalid([ValidationIssue])
    /// The object does not exist (or is not visible to the caller).
    case notFound(type: String, id: String)
    /// The change cannot be made in the current state; `reason` is a stable snake_case word.
    case conflict(reason: String, message: String, currentRevision: Int64? = nil, details: [String: JSONValue] = [:])
}
