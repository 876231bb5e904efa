/// The rules on a template's set of buttons: per-type limits, quick replies side by side, and
/// what each category allows.
enum TemplateButtonRules {
    /// The most buttons a template may have.
    static let maximumCount = 10

    /// Checks the button types (`nil` where a button's type is invalid) of the `buttons` member of
    /// `reader` (the components object); `category` is nil when it is itself invalid.
    static func check(_ types: [TemplateButtonType?], category: TemplateCategory?, into reader: inout ParamReader) {
        checkCounts(types, into: &reader)
        checkQuickRepliesAreContiguous(types, into: &reader)
        if let category { checkCategory(category, types, into: &reader) }
    }

    private static func checkCounts(_ types: [TemplateButtonType?], into reader: inout ParamReader) {
        var counts: [TemplateButtonType: Int] = [:]
        for (index, type) in types.enumerated() {
            guard let type else { continue }
            counts[type, default: 0] += 1
            if counts[type]! > type.maximumCount {
                let noun = type.maximumCount == 1 ? "button" : "buttons"
                report(index, "exceeds the limit of \(type.maximumCount) \(type.rawValue) \(noun) per template", &reader)
            }
        }
    }

    private static func checkQuickRepliesAreContiguous(_ types: [TemplateButtonType?], into reader: inout ParamReader) {
        var runStarted = false
        var runEnded = false
        for (index, type) in types.enumerated() {
            if type == .quickReply {
                if runEnded {
                    report(index, "must follow the other QUICK_REPLY buttons: quick replies must be grouped together", &reader)
                }
                runStarted = true
            } else if runStarted, type != nil {
                runEnded = true
            }
        }
    }

    private static func checkCategory(_ category: TemplateCategory, _ types: [TemplateButtonType?], into reader: inout ParamReader) {
        for (index, type) in types.enumerated() {
            switch (category, type) {
            case (.utility, .copyCode?):
                report(index, "must not be COPY_CODE in a UTILITY template", &reader)
            case (.marketing, .otp?), (.utility, .otp?):
                report(index, "must not be OTP outside AUTHENTICATION templates", &reader)
            case (.authentication, let type?) where type != .otp:
                report(index, "must be OTP in an AUTHENTICATION template (otp_type COPY_CODE, ONE_TAP or ZERO_TAP)", &reader)
            default:
                break
            }
        }
        if category == .authentication, types.count != 1 {
            reader.report("buttons", "must hold exactly one OTP button in an AUTHENTICATION template, not \(types.count)")
        }
    }

    private static func report(_ index: Int, _ message: String, _ reader: inout ParamReader) {
        reader.reportPath(reader.elementPath("buttons", index) + ".type", message)
    }
}
