extension TemplateOTPButton {
    /// The most apps one button may name.
    static let maximumApps = 5
    /// The longest package name Meta takes.
    static let packageNameLength = 224

    /// Reads the members of an OTP button after its `type` (Meta's rules, with every problem at its path).
    static func read(from reader: inout ParamReader) -> TemplateOTPButton? {
        let before = reader.issues.count
        let otpType = reader.enumeration("otp_type", TemplateOTPType.wireValues, default: TemplateOTPType.copyCode.rawValue)
            .flatMap(TemplateOTPType.init(rawValue:))
        let text = readLabel("text", from: &reader) ?? defaultText
        let autofill = readLabel("autofill_text", from: &reader)
        let apps = readApps(from: &reader)
        let accepted = reader.bool("zero_tap_terms_accepted")
        if let otpType {
            if !otpType.needsApps {
                if autofill != nil { reader.report("autofill_text", "is for ONE_TAP and ZERO_TAP buttons only") }
                if apps != nil { reader.report("supported_apps", "is for ONE_TAP and ZERO_TAP buttons only: a COPY_CODE button names no app") }
            } else if apps == nil, reader.issues.count == before {
                reader.report(
                    "supported_apps",
                    "is required for a \(otpType.rawValue) button: the Android apps (package_name, signature_hash) it hands the code to, 1 to \(maximumApps)")
            }
            if otpType == .zeroTap, accepted != true {
                reader.report("zero_tap_terms_accepted", "must be true for a ZERO_TAP button: Meta creates no zero-tap template unless its terms are accepted")
            } else if otpType != .zeroTap, accepted != nil {
                reader.report("zero_tap_terms_accepted", "is for ZERO_TAP buttons only")
            }
        }
        guard let otpType, reader.issues.count == before else { return nil }
        return TemplateOTPButton(
            otpType: otpType, text: text, autofillText: autofill, supportedApps: apps ?? [], zeroTapTermsAccepted: accepted ?? false)
    }

    /// A label (at most 25 characters, no emoji and no URL: Meta refuses both in authentication
    /// templates); nil when absent or null.
    private static func readLabel(_ name: String, from reader: inout ParamReader) -> String? {
        guard reader.contains(name), reader.value(name)?.isNull == false else { return nil }
        guard let label = TextRules.displayText(reader.string(name, required: true), field: name, lengths: 1...TemplateButton.textLength, into: &reader)
        else { return nil }
        for problem in TemplateAuthentication.contentProblems(label) { reader.report(name, problem) }
        return label
    }

    private static func readApps(from reader: inout ParamReader) -> [TemplateSupportedApp]? {
        guard let elements = reader.array("supported_apps", maximumCount: maximumApps) else { return nil }
        if elements.isEmpty { reader.report("supported_apps", "must name at least one app (at most \(maximumApps))") }
        var apps: [TemplateSupportedApp] = []
        for (index, element) in elements.enumerated() {
            let path = reader.elementPath("supported_apps", index)
            guard case .object(let members) = element else {
                reader.reportPath(path, "must be an object {package_name, signature_hash}, not \(element.typeName)")
                continue
            }
            var app = ParamReader(members, path: path)
            let package = app.string("package_name", required: true)
            if let package, !isPackageName(package) {
                app.report(
                    "package_name",
                    "must be an Android package name such as com.example.app: at most \(packageNameLength) characters, two or more dot-separated parts each starting with a letter, letters, digits and _ only"
                )
            }
            let hash = app.string("signature_hash", required: true)
            if let hash, !isSignatureHash(hash) {
                app.report("signature_hash", "must be the app's 11-character signing-key hash (letters, digits, +, / and =)")
            }
            if let package, let hash, app.issues.isEmpty { apps.append(TemplateSupportedApp(packageName: package, signatureHash: hash)) }
            reader.absorb(app)
        }
        return apps
    }

    static func isPackageName(_ name: String) -> Bool {
        guard (1...packageNameLength).contains(name.utf8.count) else { return false }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2
            && parts.allSatisfy { part in
                guard let first = part.utf8.first, isLetter(first) else { return false }
                return part.utf8.allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
            }
    }

    static func isSignatureHash(_ hash: String) -> Bool {
        hash.utf8.count == 11
            && hash.utf8.allSatisfy {
                isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/")
                    || $0 == UInt8(ascii: "=")
            }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
