import ParleyProtocol
import Testing

@testable import ParleyModel

/// The button rules of the `templates` family.
@Suite struct TemplateButtonTests {
    static func paths(_ buttons: String, category: String = "MARKETING") throws -> [String] {
        let body = category == "AUTHENTICATION" ? #"{}"# : #"{"text": "x"}"#
        let json = #"{"name": "t", "language": "cs", "category": "\#(category)", "components": {"body": \#(body), "buttons": \#(buttons)}}"#
        return try TemplateValidationTests.paths(json)
    }

    @Test func validButtonsAreNormalised() throws {
        let json = #"""
            {"name": "t", "language": "cs", "category": "MARKETING", "components": {"body": {"text": "x"}, "buttons": [
              {"type": "QUICK_REPLY", "text": " Yes "}, {"type": "URL", "text": "Track", "url": "https://x.example/t/{{1}}", "example": "abc"},
              {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+420 601-123 (456)"}, {"type": "COPY_CODE", "example": "SAVE15"}]}}
            """#
        let template = try #require(try TemplateValidationTests.read(json).template)
        #expect(
            template.components.buttons == [
                .quickReply(text: "Yes"), .url(text: "Track", url: "https://x.example/t/{{1}}", example: "abc"),
                .phoneNumber(text: "Call us", phoneNumber: "+420601123456"), .copyCode(example: "SAVE15"),
            ])
    }

    @Test func buttonFields() throws {
        #expect(try Self.paths(#"[{"type": "QUICK_REPLY", "text": ""}]"#) == ["components.buttons[0].text"])
        #expect(try Self.paths(#"[{"type": "QUICK_REPLY", "text": "\#(String(repeating: "q", count: 26))"}]"#) == ["components.buttons[0].text"])
        #expect(try Self.paths(#"[{"type": "FLOW", "flow_id": "1"}]"#) == ["components.buttons[0].type"])
        #expect(try Self.paths(#"[{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "601"}]"#) == ["components.buttons[0].phone_number"])
        #expect(try Self.paths(#"[{"type": "COPY_CODE", "example": "SIXTEEN_CHARS_XX"}]"#) == ["components.buttons[0].example"])
        #expect(try Self.paths(#"[{"type": "COPY_CODE", "text": "Copy", "example": "A"}]"#) == ["components.buttons[0].text"])
        #expect(try Self.paths(#"[{"type": "QUICK_REPLY", "text": "a"}, 7]"#) == ["components.buttons[1]"])
        let eleven = (0..<11).map { #"{"type": "QUICK_REPLY", "text": "r\#($0)"}"# }.joined(separator: ", ")
        #expect(try Self.paths("[\(eleven)]") == ["components.buttons"])
    }

    @Test func urlButtons() throws {
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "http://x.example"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example/{{1}}/b", "example": "q"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://{{1}}", "example": "q"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example{{1}}", "example": "q"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example/{{1}}{{1}}", "example": "q"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example/{{code}}", "example": "q"}]"#) == ["components.buttons[0].url"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example/{{1}}"}]"#) == ["components.buttons[0].example"])
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "https://x.example/", "example": "q"}]"#) == ["components.buttons[0].example"])
        let long = "https://x.example/" + String(repeating: "p", count: 1983)
        #expect(try Self.paths(#"[{"type": "URL", "text": "a", "url": "\#(long)"}]"#) == ["components.buttons[0].url"])
    }

    @Test func limitsPerType() throws {
        let url = #"{"type": "URL", "text": "u", "url": "https://x.example"}"#
        let phone = #"{"type": "PHONE_NUMBER", "text": "p", "phone_number": "+420601123456"}"#
        let code = #"{"type": "COPY_CODE", "example": "A1"}"#
        #expect(try Self.paths("[\(url), \(url), \(url)]") == ["components.buttons[2].type"])
        #expect(try Self.paths("[\(phone), \(phone)]") == ["components.buttons[1].type"])
        #expect(try Self.paths("[\(code), \(code)]") == ["components.buttons[1].type"])
    }

    @Test func quickRepliesAreContiguous() throws {
        let reply = #"{"type": "QUICK_REPLY", "text": "r"}"#
        let url = #"{"type": "URL", "text": "u", "url": "https://x.example"}"#
        #expect(try Self.paths("[\(reply), \(reply), \(url)]").isEmpty)
        #expect(try Self.paths("[\(url), \(reply), \(reply)]").isEmpty)
        #expect(try Self.paths("[\(reply), \(url), \(reply)]") == ["components.buttons[2].type"])
    }

    @Test func categoryRules() throws {
        let code = #"{"type": "COPY_CODE", "example": "A1"}"#
        let otp = #"{"type": "OTP"}"#
        let reply = #"{"type": "QUICK_REPLY", "text": "r"}"#
        #expect(try Self.paths("[\(code)]", category: "UTILITY") == ["components.buttons[0].type"])
        #expect(try Self.paths("[\(otp)]", category: "MARKETING") == ["components.buttons[0].type"])
        #expect(try Self.paths("[\(otp)]", category: "AUTHENTICATION").isEmpty)
        #expect(try Self.paths("[\(code)]", category: "AUTHENTICATION") == ["components.buttons[0].type"], "Meta's authentication button is OTP")
        #expect(try Self.paths("[]", category: "AUTHENTICATION") == ["components.buttons"])
        #expect(try Self.paths("[\(reply)]", category: "AUTHENTICATION") == ["components.buttons[0].type"])
        #expect(Set(try Self.paths("[\(otp), \(code)]", category: "AUTHENTICATION")) == ["components.buttons", "components.buttons[1].type"])
        #expect(try Self.paths(#"[{"type": "OTP", "otp_type": "ONE_TAP"}]"#, category: "AUTHENTICATION") == ["components.buttons[0].supported_apps"])
    }

    @Test func otpDefaults() throws {
        let json = #"""
            {"name": "t", "language": "cs", "category": "AUTHENTICATION", "components": {"body": {}, "buttons": [{"type": "OTP"}]}}
            """#
        let template = try #require(try TemplateValidationTests.read(json).template)
        #expect(template.components.buttons == [.otp(TemplateOTPButton(otpType: .copyCode, text: "Copy code"))])
        #expect(template.fields["components"]?["buttons"] == [["type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"]])
    }
}
