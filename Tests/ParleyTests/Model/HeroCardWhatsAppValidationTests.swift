import Testing

@testable import ParleyModel

@Suite struct HeroCardWhatsAppValidationTests {
    typealias Outcome = HeroCardReadOutcome

    @Test func whatsappLimitsApply() {
        let outcome = Outcome.card(channel: "WHATSAPP", [
            "title": .string(String(repeating: "t", count: 61)), "subtitle": .string(String(repeating: "s", count: 61)),
            "text": .string(String(repeating: "x", count: 1025)),
            "images": [["url": "http://example.com/a.png"], ["url": "https://example.com/b.png"]],
        ])
        #expect(
            outcome.paths == [
                "localizations.cs.title", "localizations.cs.subtitle", "localizations.cs.text", "localizations.cs.images",
                "localizations.cs.images[0].url",
            ])
        #expect(Outcome.card(channel: "WHATSAPP", ["title": .string(String(repeating: "t", count: 60))]).card != nil)
    }

    @Test func whatsappCardsHaveAtMostThreeReplyButtonsWithUniqueIds() {
        let outcome = Outcome.card(channel: "WHATSAPP", [
            "text": "t",
            "buttons": [
                Outcome.button("openUrl", "Web", "https://example.com"), Outcome.button("imBack", "Yes", "same"),
                Outcome.button("postBack", "No", "same"), Outcome.button("call", "Call", "tel:+420601123456"),
            ],
        ])
        #expect(
            outcome.paths == [
                "localizations.cs.buttons", "localizations.cs.buttons[0].type", "localizations.cs.buttons[2].value",
                "localizations.cs.buttons[3].type",
            ])
        #expect(outcome.message(at: "localizations.cs.buttons[0].type")?.contains("only reply buttons") == true)
        let longId = Outcome.card(channel: "WHATSAPP", ["text": "t", "buttons": [Outcome.button("imBack", "Ok", .string(String(repeating: "v", count: 257)))]])
        #expect(longId.paths == ["localizations.cs.buttons[0].value"])
    }

    @Test func templateIdIsOnlyForWhatsAppAndMustBeWellFormed() throws {
        let id: JSONValue = "tpl_00000000000000000000000000"
        let linked = try #require(Outcome.card(channel: "WHATSAPP", ["text": "t"], extra: ["template_id": id]).card)
        #expect(linked.references == [ResourceReference(field: "template_id", kind: .template, id: "tpl_00000000000000000000000000")])
        #expect(Outcome.card(channel: "WEBCHAT", ["text": "t"], extra: ["template_id": id]).paths == ["template_id"])
        #expect(Outcome.card(channel: "WHATSAPP", ["text": "t"], extra: ["template_id": "grp_00000000000000000000000000"]).paths == ["template_id"])
    }

    @Test func contentWhatsAppCannotShowIsAWarning() throws {
        let outcome = Outcome.card(channel: "WHATSAPP", [
            "title": "T", "subtitle": "S", "text": "body", "images": [["url": "https://example.com/a.png"]],
        ])
        #expect(outcome.card != nil)
        #expect(outcome.warnings.map(\.path) == ["localizations.cs.title", "localizations.cs.subtitle"])
        let shown = Outcome.card(channel: "WHATSAPP", ["title": "T", "subtitle": "S", "buttons": [Outcome.button("imBack", "Ok", "ok")]])
        #expect(shown.warnings.isEmpty)
    }

    @Test func namesAreUniquePerChannelIgnoringCase() throws {
        let card = try #require(Outcome.card(channel: "WHATSAPP", ["text": "t"], extra: ["name": "  Promo Card "]).card)
        #expect(card.name == "Promo Card")
        #expect(card.nameKey == "promo card")
        #expect(card.uniqueKeys == [
            UniqueKey(scope: .tenant, name: "name", value: "WHATSAPP:promo card", field: "name",
                      message: "a WHATSAPP hero card named \"Promo Card\" already exists")
        ])
    }
}
