import ParleyModel
import Testing

/// Limited-time-offer templates (issue 15, Meta's rules): MARKETING only, the offer's text at most
/// 16 characters, no footer, a body of at most 600 characters, an IMAGE or VIDEO header if any,
/// a URL button after an optional COPY_CODE one; the send needs expiration_time_ms.
@Suite struct LimitedTimeOfferTests {
    private static func paths(category: String = "MARKETING", _ components: String) throws -> [String] {
        try TemplateValidationTests.paths(#"{"name": "offer", "language": "en_US", "category": "\#(category)", "components": \#(components)}"#)
    }

    private static let url = #"{"type": "URL", "text": "Book now!", "url": "https://x.example/o?c={{1}}", "example": "abc"}"#
    private static let code = #"{"type": "COPY_CODE", "example": "CARIBE25"}"#

    @Test func metasRulesAtTheirPaths() throws {
        let offer = #""limited_time_offer": {"text": "Expiring offer!", "has_expiration": true}"#
        #expect(try Self.paths(#"{\#(offer), "body": {"text": "Hi"}, "buttons": [\#(Self.code), \#(Self.url)]}"#).isEmpty)
        #expect(try Self.paths(#"{\#(offer), "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}"#).isEmpty, "the copy-code button is optional")
        #expect(try Self.paths(category: "UTILITY", #"{\#(offer), "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}"#) == ["components.limited_time_offer"])
        #expect(
            try Self.paths(#"{"limited_time_offer": {"text": "Seventeen chars!!"}, "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}"#)
                == ["components.limited_time_offer.text"])
        #expect(try Self.paths(#"{\#(offer), "body": {"text": "Hi"}, "footer": {"text": "F"}, "buttons": [\#(Self.url)]}"#) == ["components.footer"])
        #expect(
            try Self.paths(#"{\#(offer), "body": {"text": "\#(String(repeating: "b", count: 601))"}, "buttons": [\#(Self.url)]}"#)
                == ["components.body.text"])
        #expect(
            try Self.paths(#"{\#(offer), "header": {"format": "TEXT", "text": "T"}, "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}"#)
                == ["components.header.format"])
        #expect(try Self.paths(#"{\#(offer), "body": {"text": "Hi"}, "buttons": [\#(Self.url), \#(Self.code)]}"#) == ["components.buttons"])
        #expect(try Self.paths(#"{\#(offer), "body": {"text": "Hi"}}"#) == ["components.buttons"])
        #expect(
            try Self.paths(#"{"limited_time_offer": {"text": "Hi {{1}}"}, "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}"#)
                == ["components.limited_time_offer.text"])
    }

    @Test func theSendNeedsTheExpiry() throws {
        let template = try #require(
            try TemplateValidationTests.read(
                #"""
                {"name": "offer", "language": "en_US", "category": "MARKETING", "components": {
                  "limited_time_offer": {"text": "Expiring offer!"}, "body": {"text": "Hi"}, "buttons": [\#(Self.url)]}}
                """#
            ).template)
        #expect(throws: ConfigError.self) { try TemplateRenderer.render(template, status: "APPROVED", parameters: ["buttons": ["0": ["1": "x"]]]) }
        let sent = try TemplateRenderer.render(
            template, status: "APPROVED",
            parameters: [
                "limited_time_offer": ["expiration_time_ms": 1_798_761_600_000], "buttons": ["0": ["1": "x"]],
            ])
        #expect(
            sent["whatsapp"]?["components"]?[0] == [
                "type": "limited_time_offer", "parameters": [["type": "limited_time_offer", "limited_time_offer": ["expiration_time_ms": 1_798_761_600_000]]],
            ])
        #expect(sent["text"]?.stringValue?.hasPrefix("Expiring offer!\n\nHi") == true, "no expiry shown without has_expiration")
        let plain = try #require(
            try TemplateValidationTests.read(#"{"name": "p", "language": "cs", "category": "MARKETING", "components": {"body": {"text": "Hi"}}}"#).template)
        #expect(throws: ConfigError.self) {
            try TemplateRenderer.render(plain, status: "APPROVED", parameters: ["limited_time_offer": ["expiration_time_ms": 1]])
        }
    }
}
