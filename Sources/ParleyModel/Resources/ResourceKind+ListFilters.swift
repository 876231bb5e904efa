/// One equality filter a family's `*.list` accepts besides `name_prefix` (`status` of templates).
public struct ListFilter: Sendable, Hashable {
    /// The param name, which is also the member compared.
    public var param: String
    /// Whether the member is server-kept state (a template's `status`) rather than a field.
    public var inState: Bool
    /// The values it accepts; nil for any text.
    public var allowed: [String]?

    public init(_ param: String, inState: Bool = false, allowed: [String]? = nil) {
        self.param = param
        self.inState = inState
        self.allowed = allowed
    }
}

extension ResourceKind {
    /// The list filters of the family: the one list the server enforces and the CLI's help names
    /// (issue 16: the help named `enabled` for groups, which the server never accepted).
    public var listFilters: [ListFilter] {
        switch self {
        case .group: [ListFilter("type", allowed: OperatorGroup.types), ListFilter("routing_mode", allowed: OperatorGroup.routingModes)]
        case .whatsappNumber: [ListFilter("status", allowed: WhatsAppNumber.statuses), ListFilter("routing_group_id")]
        case .template:
            [
                ListFilter("whatsapp_number_id"), ListFilter("status", inState: true, allowed: TemplateStatus.wireValues),
                ListFilter("language"), ListFilter("category", allowed: TemplateCategory.wireValues),
            ]
        case .heroCard: [ListFilter("channel", allowed: HeroCardChannel.wireValues)]
        case .blockedFileType: [ListFilter("source", inState: true, allowed: ["DEFAULT", "USER"])]
        default: []
        }
    }
}
