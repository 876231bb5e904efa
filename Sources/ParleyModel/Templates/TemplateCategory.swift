/// What a WhatsApp template is for; Meta prices and reviews each category differently.
public enum TemplateCategory: String, Sendable, Hashable, CaseIterable {
    case marketing = "MARKETING"
    case utility = "UTILITY"
    case authentication = "AUTHENTICATION"

    /// The wire values, in documentation order.
    public static let wireValues = allCases.map(\.rawValue)
}
