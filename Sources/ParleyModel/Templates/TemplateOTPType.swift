/// How an authentication template's OTP button hands the code over (Meta's `otp_type`):
/// copied by the client (COPY_CODE), filled into the app by one tap (ONE_TAP), or handed to the
/// app without a tap (ZERO_TAP). One-tap and zero-tap work on Android only, for the apps named in
/// the button's `supported_apps`; other devices get a copy-code button.
public enum TemplateOTPType: String, Sendable, Hashable, CaseIterable {
    case copyCode = "COPY_CODE"
    case oneTap = "ONE_TAP"
    case zeroTap = "ZERO_TAP"

    /// The wire values.
    public static let wireValues = allCases.map(\.rawValue)

    /// Whether the button hands the code to an Android app (and so names the apps).
    public var needsApps: Bool { self != .copyCode }
}
