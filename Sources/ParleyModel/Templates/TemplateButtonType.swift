/// The kind of a template button.
public enum TemplateButtonType: String, Sendable, Hashable, CaseIterable {
    case quickReply = "QUICK_REPLY"
    case url = "URL"
    case phoneNumber = "PHONE_NUMBER"
    case copyCode = "COPY_CODE"
    case otp = "OTP"

    /// The wire values, in documentation order.
    public static let wireValues = allCases.map(\.rawValue)

    /// How many buttons of this type one template may have.
    var maximumCount: Int {
        switch self {
        case .quickReply: 10
        case .url: 2
        case .phoneNumber, .copyCode, .otp: 1
        }
    }
}
