/// The answer of a lookup made without waiting (on a server's event loop).
public enum ImmediateLookup<Value: Sendable>: Sendable {
    /// The value, current as of the lookup.
    case found(Value)
    /// Definitely not there.
    case missing
    /// Could not be told without waiting: use the asynchronous lookup.
    case unknown
}
