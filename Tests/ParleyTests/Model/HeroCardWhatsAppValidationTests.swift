import Testing

@testable import ParleyModel

@Suite struct HeroCardWhatsAppValidationTests {
    typealias Outcome = HeroCardReadOutcome

    @Test func whatsappLimitsApply() {
        let outcome = Outcome.card(
            channel: "WHATSAPP",
            [
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
        let outcome = Outcome.card(
            channel: "WHATSAPP",
            [
                "text": "t",
                "buttons": [
                    Outcome.button("openUrl", "Web", "https://example.com"), Outcome.button("imBack", "Yes", "same"),
                    Outcome.button("postBack", "No", "same"), Outcome.button("call", "Call", "tel:+420601123456"),
                ],
            ])
        #expect(
            outcome.paths == [
                "localizations.cs.buttons", "localizations.cs.buttons[2].value", "localizations.cs.buttons[3].type",
                "localizations.cs.buttons[0].type",
            ])
        #expect(outcome.message(at: "localizations.cs.buttons[0].type")?.contains("only button of a WHATSAPP card") == true)
        #expect(outcome.message(at: "localizations.cs.buttons[3].type")?.contains("one URL button") == true)
        let longId = Outcome.card(channel: "WHATSAPP", ["text": "t", "buttons": [Outcome.button("imBack", "Ok", .string(String(repeating: "v", count: 257)))]])
        #expect(longId.paths == ["localizations.cs.buttons[0].value"])
    }

    /// A WhatsApp card whose only button is openUrl renders as Meta's call-to-action URL message
    /// (issue 15); a tap is kept for Bot Framework and not shown on WhatsApp (a warning says so).
    @Test func aLoneOpenUrlButtonRendersAsACallToActionURLMessage() throws {
        let outcome = Outcome.card(
            channel: "WHATSAPP",
            [
                "title": "Your order", "text": "Track it online.", "subtitle": "Acme",
                "buttons": [Outcome.button("openUrl", "Track order", "https://acme.example/t/1")],
                "tap": Outcome.button("openUrl", "Open", "https://acme.example"),
            ])
        let card = try #require(outcome.card)
        let localization = try #require(card.localizations["cs"])
        #expect(localization.tap?.value == "https://acme.example")
        #expect(outcome.warnings.map(\.path).contains("localizations.cs.tap"))
        let message = HeroCardRenderer.whatsappMessage(localization)
        #expect(message["type"] == "interactive")
        #expect(
            message["interactive"] == [
                "type": "cta_url",
                "header": ["type": "text", "text": "Your order"],
                "body": ["text": "Track it online."],
                "footer": ["text": "Acme"],
                "action": ["name": "cta_url", "parameters": ["display_text": "Track order", "url": "https://acme.example/t/1"]],
            ])
        #expect(HeroCardRenderer.attachment(localization)["content"]?["tap"] == ["type": "openUrl", "title": "Open", "value": "https://acme.example"])
        let tooLong = Outcome.card(
            channel: "WHATSAPP", ["text": "t", "buttons": [Outcome.button("openUrl", String(repeating: "d", count: 21), "https://a.example")]])
        #expect(tooLong.paths == ["localizations.cs.buttons[0].title"], "display text at most 20")
    }

    @Test func templateIdIsOnlyForWhatsAppAndMustBeWellFormed() throws {
        let id: JSONValue = "tpl_00000000000000000000000000"
        let linked = try #require(Outcome.card(channel: "WHATSAPP", ["text": "t"], extra: ["template_id": id]).card)
        #expect(linked.references == [ResourceReference(field: "template_id", kind: .template, id: "tpl_00000000000000000000000000")])
        #expect(Outcome.card(channel: "WEBCHAT", ["text": "t"], extra: ["template_id": id]).paths == ["template_id"])
        #expect(Outcome.card(channel: "WHATSAPP", ["text": "t"], extra: ["template_id": "grp_00000000000000000000000000"]).paths == ["template_id"])
    }

    @Test func contentWhatsAppCannotShowIsAWarning() throws {
        let outcome = Outcome.card(
            channel: "WHATSAPP",
            [
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
        #expect(
            card.uniqueKeys == [
                UniqueKey(
                    scope: .tenant, name: "name", value: "WHATSAPP:promo card", field: "name",
                    message: "a WHATSAPP hero card named \"Promo Card\" already exists")
            ])
    }
}
