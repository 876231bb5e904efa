/// The one button of an AUTHENTICATION template, as Meta takes it: `{type: OTP, otp_type, text?,
/// autofill_text?, supported_apps?, zero_tap_terms_accepted?}`.
public struct TemplateOTPButton: Sendable, Hashable {
    public var otpType: TemplateOTPType
    /// The copy-code label (Meta's default for English is "Copy code").
    public var text: String
    /// The one-tap label (ONE_TAP and ZERO_TAP only); nil for Meta's default ("Autofill").
    public var autofillText: String?
    /// The Android apps a ONE_TAP or ZERO_TAP button hands the code to (1 to 5); empty for COPY_CODE.
    public var supportedApps: [TemplateSupportedApp]
    /// ZERO_TAP only, and then true: the business accepted Meta's zero-tap terms.
    public var zeroTapTermsAccepted: Bool

    /// The label of an OTP button that gives none.
    public static let defaultText = "Copy code"
    /// The one-tap label Meta shows when none is given.
    public static let defaultAutofillText = "Autofill"

    public init(
        otpType: TemplateOTPType = .copyCode, text: String = defaultText, autofillText: String? = nil,
        supportedApps: [TemplateSupportedApp] = [], zeroTapTermsAccepted: Bool = false
    ) {
        self.otpType = otpType
        self.text = text
        self.autofillText = autofillText
        self.supportedApps = supportedApps
        self.zeroTapTermsAccepted = zeroTapTermsAccepted
    }

    /// The members after `type`, as Meta's create request has them.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["otp_type": .string(otpType.rawValue), "text": .string(text)]
        if let autofillText { fields["autofill_text"] = .string(autofillText) }
        if !supportedApps.isEmpty { fields["supported_apps"] = .array(supportedApps.map(\.json)) }
        if otpType == .zeroTap { fields["zero_tap_terms_accepted"] = .bool(zeroTapTermsAccepted) }
        return fields
    }
}

/// An Android app a one-tap or zero-tap button hands the code to.
public struct TemplateSupportedApp: Sendable, Hashable {
    /// The app's package name (`com.example.app`).
    public var packageName: String
    /// The app's 11-character signing-key hash (Meta's `signature_hash`).
    public var signatureHash: String

    public init(packageName: String, signatureHash: String) {
        self.packageName = packageName
        self.signatureHash = signatureHash
    }

    var json: JSONValue { ["package_name": .string(packageName), "signature_hash": .string(signatureHash)] }
}
