import Testing

@testable import ParleyModel

@Suite struct HeroCardRendererTests {
    static func card(_ languages: [String], default defaultLanguage: String) -> HeroCard {
        let localizations = Dictionary(uniqueKeysWithValues: languages.map { ($0, HeroCardLocalization(text: "in \($0)")) })
        return HeroCard(name: "x", channel: .webchat, defaultLanguage: defaultLanguage, localizations: localizations)
    }

    @Test func languageChoiceFallsBackStepByStep() {
        let card = Self.card(["cs", "en", "en_GB", "en_US", "pt_BR"], default: "cs")
        #expect(HeroCardRenderer.chooseLanguage("en_US", in: card) == "en_US")
        #expect(HeroCardRenderer.chooseLanguage("en_AU", in: card) == "en")
        #expect(HeroCardRenderer.chooseLanguage("pt_PT", in: card) == "pt_BR")
        #expect(HeroCardRenderer.chooseLanguage("pt", in: card) == "pt_BR")
        #expect(HeroCardRenderer.chooseLanguage("de", in: card) == "cs")
        #expect(HeroCardRenderer.chooseLanguage(nil, in: card) == "cs")
        #expect(HeroCardRenderer.chooseLanguage("en", in: Self.card(["en_US", "en_GB", "cs"], default: "cs")) == "en_GB")
    }

    @Test func theResultSaysWhatWasUsed() throws {
        let card = Self.card(["cs", "en"], default: "cs")
        let result = try HeroCardRenderer.render(card, language: "de")
        #expect(result["language"] == "cs")
        #expect(result["requested_language"] == "de")
        #expect(result["fell_back"] == true)
        #expect(result["whatsapp"] == nil)
        #expect(result["attachment"] == ["contentType": "application/vnd.microsoft.card.hero", "content": ["text": "in cs"]])
        let unrequested = try HeroCardRenderer.render(card, language: nil)
        #expect(unrequested["requested_language"] == .null)
        #expect(unrequested["fell_back"] == false)
    }

    @Test func aMalformedLanguageIsRefusedAtPathLanguage() {
        let card = Self.card(["cs"], default: "cs")
        for language in ["en-US", "EN", "en_us", ""] {
            #expect(throws: ConfigError.invalid([ValidationIssue(path: "language", message: HeroCard.languageMessage)])) {
                try HeroCardRenderer.render(card, language: language)
            }
        }
    }

    @Test func whatsappMessagesFollowTheCloudAPIShapes() {
        let buttons = [HeroCardButton(type: .imBack, title: "Yes", value: "yes")]
        let image = [HeroCardImage(url: "https://example.com/a.png", alt: "A")]
        let interactive = HeroCardRenderer.whatsappMessage(HeroCardLocalization(title: "T", text: "Body", buttons: buttons))
        #expect(interactive["interactive"]?["header"] == ["type": "text", "text": "T"])
        #expect(interactive["interactive"]?["body"] == ["text": "Body"])
        #expect(interactive["interactive"]?["footer"] == nil)
        #expect(interactive["interactive"]?["action"] == ["buttons": [["type": "reply", "reply": ["id": "yes", "title": "Yes"]]]])
        #expect(interactive["to"] == nil)
        let titleOnly = HeroCardRenderer.whatsappMessage(HeroCardLocalization(title: "T", subtitle: "S", buttons: buttons))
        #expect(titleOnly["interactive"]?["header"] == nil)
        #expect(titleOnly["interactive"]?["body"] == ["text": "T"])
        #expect(titleOnly["interactive"]?["footer"] == ["text": "S"])
        let withImage = HeroCardRenderer.whatsappMessage(HeroCardLocalization(title: "T", images: image, buttons: buttons))
        #expect(withImage["interactive"]?["header"] == ["type": "image", "image": ["link": "https://example.com/a.png"]])
        let picture = HeroCardRenderer.whatsappMessage(HeroCardLocalization(title: "T", text: "Body", images: image))
        #expect(
            picture == [
                "messaging_product": "whatsapp", "recipient_type": "individual", "type": "image",
                "image": ["link": "https://example.com/a.png", "caption": "Body"],
            ])
        let text = HeroCardRenderer.whatsappMessage(HeroCardLocalization(title: "T", subtitle: "S", text: "Body"))
        #expect(text == ["messaging_product": "whatsapp", "recipient_type": "individual", "type": "text", "text": ["body": "T\n\nBody\n\nS"]])
    }

    @Test func botFrameworkContentLeavesOutWhatIsEmpty() {
        let attachment = HeroCardRenderer.attachment(HeroCardLocalization(title: "T", images: [HeroCardImage(url: "https://example.com/a.png")]))
        #expect(
            attachment == [
                "contentType": "application/vnd.microsoft.card.hero",
                "content": ["title": "T", "images": [["url": "https://example.com/a.png"]]],
            ])
    }
}
