import ParleyModel
import Testing

/// Media card carousels (issue 15, Meta's rules): MARKETING only, 2-10 cards with the same
/// components, each an IMAGE or VIDEO header, an optional body of at most 160 characters (all
/// cards or none) and at most 2 QUICK_REPLY, URL or PHONE_NUMBER buttons; nothing else around.
@Suite struct CarouselTemplateTests {
    private static func card(_ format: String = "IMAGE", body: String? = nil, buttons: String = #"[{"type": "QUICK_REPLY", "text": "More"}]"#) -> String {
        let bodyPart = body.map { #", "body": {"text": "\#($0)"}"# } ?? ""
        return #"{"header": {"format": "\#(format)", "example_url": "https://cdn.example.com/a.jpg"}\#(bodyPart), "buttons": \#(buttons)}"#
    }

    private static func paths(category: String = "MARKETING", cards: [String], extra: String = "") throws -> [String] {
        try TemplateValidationTests.paths(
            #"""
            {"name": "cards", "language": "en_US", "category": "\#(category)",
             "components": {"body": {"text": "Our picks"}, "carousel": {"cards": [\#(cards.joined(separator: ", "))]}\#(extra)}}
            """#)
    }

    @Test func metasRulesAtTheirPaths() throws {
        #expect(try Self.paths(cards: [Self.card(), Self.card()]).isEmpty)
        #expect(try Self.paths(cards: [Self.card("VIDEO", body: "A"), Self.card("VIDEO", body: "B")]).isEmpty)
        #expect(try Self.paths(cards: [Self.card()]) == ["components.carousel.cards"], "at least 2 cards")
        #expect(try Self.paths(cards: Array(repeating: Self.card(), count: 11)) == ["components.carousel.cards"], "at most 10")
        #expect(try Self.paths(category: "UTILITY", cards: [Self.card(), Self.card()]) == ["components.carousel"])
        #expect(
            try Self.paths(cards: [Self.card("DOCUMENT"), Self.card("DOCUMENT")]) == [
                "components.carousel.cards[0].header.format", "components.carousel.cards[1].header.format",
            ])
        #expect(try Self.paths(cards: [Self.card(), Self.card(body: "B")]) == ["components.carousel.cards[1]"], "a body on every card or none")
        #expect(try Self.paths(cards: [Self.card(), Self.card("VIDEO")]) == ["components.carousel.cards[1]"], "the same header format")
        let three = #"[{"type": "QUICK_REPLY", "text": "a"}, {"type": "QUICK_REPLY", "text": "b"}, {"type": "QUICK_REPLY", "text": "c"}]"#
        #expect(
            try Self.paths(cards: [Self.card(buttons: three), Self.card(buttons: three)]) == [
                "components.carousel.cards[0].buttons", "components.carousel.cards[1].buttons",
            ])
        let code = #"[{"type": "COPY_CODE", "example": "A1"}]"#
        #expect(
            try Self.paths(cards: [Self.card(buttons: code), Self.card(buttons: code)]) == [
                "components.carousel.cards[0].buttons[0].type", "components.carousel.cards[1].buttons[0].type",
            ])
        #expect(
            try Self.paths(cards: [Self.card(body: String(repeating: "b", count: 161)), Self.card(body: "B")]) == ["components.carousel.cards[0].body.text"])
        #expect(try Self.paths(cards: [Self.card(), Self.card()], extra: #", "footer": {"text": "F"}"#) == ["components.footer"])
        #expect(try Self.paths(cards: [Self.card(), Self.card()], extra: #", "buttons": [{"type": "QUICK_REPLY", "text": "x"}]"#) == ["components.buttons"])
    }

    @Test func everyCardIsSentWithItsIndex() throws {
        let template = try #require(
            try TemplateValidationTests.read(
                #"""
                {"name": "cards", "language": "en_US", "category": "MARKETING",
                 "components": {"body": {"text": "Our picks"}, "carousel": {"cards": [\#(Self.card()), \#(Self.card())]}}}
                """#
            ).template)
        let sent = try TemplateRenderer.render(template, status: "APPROVED", parameters: nil)
        let cards = try #require(sent["whatsapp"]?["components"]?[0]?["cards"]?.arrayValue)
        #expect(cards.map { $0["card_index"] } == [0, 1])
        #expect(cards[0]["components"]?[0] == ["type": "header", "parameters": [["type": "image", "image": ["link": "https://cdn.example.com/a.jpg"]]]])
        #expect(throws: ConfigError.self) { try TemplateRenderer.render(template, status: "APPROVED", parameters: ["carousel": ["2": [:]]]) }
    }
}
