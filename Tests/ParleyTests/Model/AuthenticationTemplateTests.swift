import ParleyModel
import Testing

/// AUTHENTICATION templates in Meta's shape (issue 15): the preset body with
/// `add_security_recommendation`, the footer as `code_expiration_minutes`, one OTP button
/// (COPY_CODE, ONE_TAP, ZERO_TAP with their apps and terms), and the send Meta requires.
@Suite struct AuthenticationTemplateTests {
    private static func template(_ components: String) -> String {
        #"{"name": "login_code", "language": "en_US", "category": "AUTHENTICATION", "components": \#(components)}"#
    }

    private static let app = #"{"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}"#

    @Test func metasCreatePayloadsAreAccepted() throws {
        let copy = try #require(
            try TemplateValidationTests.read(
                Self.template(
                    #"""
                    {"body": {"add_security_recommendation": true}, "footer": {"code_expiration_minutes": 10},
                     "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}
                    """#)
            ).template)
        #expect(copy.components.authentication == TemplateAuthentication(addSecurityRecommendation: true, codeExpirationMinutes: 10))
        #expect(
            copy.fields["components"] == [
                "body": ["add_security_recommendation": true], "footer": ["code_expiration_minutes": 10],
                "buttons": [["type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"]],
            ])
        let oneTap = try #require(
            try TemplateValidationTests.read(
                Self.template(
                    #"""
                    {"body": {}, "buttons": [{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy Code", "autofill_text": "Autofill",
                      "supported_apps": [\#(Self.app)]}]}
                    """#)
            ).template)
        #expect(
            oneTap.components.buttons == [
                .otp(
                    TemplateOTPButton(
                        otpType: .oneTap, text: "Copy Code", autofillText: "Autofill",
                        supportedApps: [TemplateSupportedApp(packageName: "com.example.luckyshrub", signatureHash: "K8a/AINcGX7")]))
            ])
        #expect(oneTap.fields["components"]?["footer"] == nil && oneTap.fields["components"]?["body"] == ["add_security_recommendation": false])
        let zeroTap = try #require(
            try TemplateValidationTests.read(
                Self.template(
                    #"""
                    {"body": {"add_security_recommendation": true}, "footer": {"code_expiration_minutes": 5},
                     "buttons": [{"type": "OTP", "otp_type": "ZERO_TAP", "zero_tap_terms_accepted": true, "supported_apps": [\#(Self.app), \#(Self.app)]}]}
                    """#)
            ).template)
        #expect(zeroTap.fields["components"]?["buttons"]?[0]?["zero_tap_terms_accepted"] == true)
    }

    @Test func freeTextAndHeadersAreRefusedAtTheirPaths() throws {
        #expect(
            Set(
                try TemplateValidationTests.paths(
                    Self.template(#"{"body": {"text": "Your code is {{1}}", "examples": {"1": "1"}}, "buttons": [{"type": "OTP"}]}"#)))
                == ["components.body.examples", "components.body.text"])
        #expect(
            try TemplateValidationTests.paths(Self.template(#"{"body": {}, "footer": {"text": "Expires soon"}, "buttons": [{"type": "OTP"}]}"#))
                == ["components.footer.text"])
        #expect(
            try TemplateValidationTests.paths(Self.template(#"{"header": {"format": "TEXT", "text": "Hi"}, "body": {}, "buttons": [{"type": "OTP"}]}"#))
                == ["components.header"])
        for minutes in [0, 91] {
            #expect(
                try TemplateValidationTests.paths(
                    Self.template(#"{"body": {}, "footer": {"code_expiration_minutes": \#(minutes)}, "buttons": [{"type": "OTP"}]}"#))
                    == ["components.footer.code_expiration_minutes"])
        }
        #expect(
            try TemplateValidationTests.paths(Self.template(#"{"body": {"add_security_recommendation": "yes"}, "buttons": [{"type": "OTP"}]}"#))
                == ["components.body.add_security_recommendation"])
    }

    @Test func theOTPButtonFollowsMetasRules() throws {
        func paths(_ button: String) throws -> [String] {
            try TemplateValidationTests.paths(Self.template(#"{"body": {}, "buttons": [\#(button)]}"#))
        }
        #expect(try paths(#"{"type": "OTP", "otp_type": "ONE_TAP"}"#) == ["components.buttons[0].supported_apps"])
        #expect(try paths(#"{"type": "OTP", "otp_type": "ZERO_TAP", "supported_apps": [\#(Self.app)]}"#) == ["components.buttons[0].zero_tap_terms_accepted"])
        #expect(
            try paths(#"{"type": "OTP", "otp_type": "ZERO_TAP", "zero_tap_terms_accepted": false, "supported_apps": [\#(Self.app)]}"#)
                == ["components.buttons[0].zero_tap_terms_accepted"])
        #expect(try paths(#"{"type": "OTP", "supported_apps": [\#(Self.app)]}"#) == ["components.buttons[0].supported_apps"])
        #expect(try paths(#"{"type": "OTP", "autofill_text": "Fill"}"#) == ["components.buttons[0].autofill_text"])
        #expect(try paths(#"{"type": "OTP", "zero_tap_terms_accepted": true}"#) == ["components.buttons[0].zero_tap_terms_accepted"])
        #expect(try paths(#"{"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": []}"#) == ["components.buttons[0].supported_apps"])
        let six = Array(repeating: Self.app, count: 6).joined(separator: ", ")
        #expect(try paths(#"{"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [\#(six)]}"#) == ["components.buttons[0].supported_apps"])
        #expect(
            try paths(#"{"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [{"package_name": "luckyshrub", "signature_hash": "short"}]}"#)
                == ["components.buttons[0].supported_apps[0].package_name", "components.buttons[0].supported_apps[0].signature_hash"])
        #expect(
            try paths(#"{"type": "OTP", "otp_type": "ONE_TAP", "supported_apps": [{"package_name": "com.1example.app", "signature_hash": "K8a/AINcGX7"}]}"#)
                == ["components.buttons[0].supported_apps[0].package_name"])
        #expect(try paths(#"{"type": "OTP", "text": "Copy 🔑"}"#) == ["components.buttons[0].text"], "no emoji")
        #expect(try paths(#"{"type": "OTP", "text": "www.example.com"}"#) == ["components.buttons[0].text"], "no URL")
        #expect(try paths(#"{"type": "OTP", "text": "\#(String(repeating: "c", count: 26))"}"#) == ["components.buttons[0].text"])
        #expect(try paths(#"{"type": "OTP", "otp_type": "SMS"}"#) == ["components.buttons[0].otp_type"])
    }

    @Test func renderGivesTheSendMetaRequires() throws {
        let template = try #require(
            try TemplateValidationTests.read(
                Self.template(
                    #"""
                    {"body": {"add_security_recommendation": true}, "footer": {"code_expiration_minutes": 10}, "buttons": [{"type": "OTP"}]}
                    """#)
            ).template)
        let rendered = try TemplateRenderer.render(template, status: "APPROVED", parameters: ["code": "J$FpnYnP"])
        let parameter: JSONValue = [["type": "text", "text": "J$FpnYnP"]]
        #expect(
            rendered["whatsapp"] == [
                "name": "login_code", "language": ["policy": "deterministic", "code": "en_US"],
                "components": [
                    ["type": "body", "parameters": parameter],
                    ["type": "button", "sub_type": "url", "index": "0", "parameters": parameter],
                ],
            ])
        #expect(
            rendered["text"]
                == "*J$FpnYnP* is your verification code. For your security, do not share this code.\n\nThis code expires in 10 minutes.\n\n[Copy code]")
        #expect(rendered["sendable"] == true)
        for (parameters, path) in [
            (JSONValue.null, "parameters.code"), (["code": "twelve chars long!"], "parameters.code"), (["code": "12 34"], "parameters.code"),
            (["code": 123456], "parameters.code"), (["code": "1", "body": ["1": "1"]], "parameters.body"),
        ] {
            #expect(throws: ConfigError.self) { try TemplateRenderer.render(template, status: "APPROVED", parameters: parameters) }
            do {
                _ = try TemplateRenderer.render(template, status: "APPROVED", parameters: parameters)
            } catch {
                guard case .invalid(let issues) = error else { Issue.record("\(error)"); continue }
                #expect(Set(issues.map(\.path)) == [path], "\(parameters)")
            }
        }
    }
}
