/// How an operator group offers a waiting session to its operators.
public enum GroupRoutingMode: String, Sendable, Hashable, CaseIterable {
    /// Offered to the available operator with the highest priority, respecting each operator's
    /// concurrent-session limit.
    case sequentialByOperator = "SEQUENTIAL_BY_OPERATOR"
    /// Offered to every logged-in operator at once, ignoring their session limits.
    /// Deprecated: accepted with a warning.
    case wholeGroup = "WHOLE_GROUP"
}
