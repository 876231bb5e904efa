/// How an OTP button hands the code over. Only the copy-code kind is supported: the one-tap and
/// zero-tap kinds need Android app signatures that Parley does not hold.
public enum TemplateOTPType: String, Sendable, Hashable, CaseIterable {
    case copyCode = "COPY_CODE"

    /// The wire values.
    public static let wireValues = allCases.map(\.rawValue)
}
