/// What kind of operators an operator group holds (the mluvii group types).
public enum OperatorGroupType: String, Sendable, Hashable, CaseIterable {
    /// A group whose members are listed in `member_user_ids`.
    case normal = "NORMAL"
    /// A group that always holds every operator of the tenant.
    case allOperators = "ALL_OPERATORS"
    /// A group served by a chatbot.
    case chatbot = "CHATBOT"
}
