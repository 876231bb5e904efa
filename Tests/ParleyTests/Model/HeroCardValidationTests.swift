import Testing

@testable import ParleyModel

@Suite struct HeroCardValidationTests {
    typealias Outcome = HeroCardReadOutcome

    @Test func aValidCardRoundTripsThroughItsFields() throws {
        let outcome = Outcome.card([
            "title": "  Vítejte  ", "text": "Řádek 1\nŘádek 2",
            "images": [["url": "http://example.com/a.png", "alt": "A"]],
            "buttons": [Outcome.button("call", "Volat", "tel:+420 601 123 456"), Outcome.button("openUrl", "Web", "https://example.com")],
        ])
        let card = try #require(outcome.card)
        #expect(card.localizations["cs"]?.title == "Vítejte")
        #expect(card.localizations["cs"]?.buttons.first?.value == "tel:+420601123456")
        #expect(card.fields["template_id"] == .null)
        var reader = ParamReader(card.fields)
        #expect(HeroCard.read(from: &reader) == card)
        #expect(card.uniqueKeys.map(\.value) == ["WEBCHAT:welcome"])
        #expect(card.references.isEmpty)
    }

    @Test func requiredFieldsAndTypesAreReported() {
        #expect(Outcome([:]).paths == ["name", "channel", "default_language", "localizations"])
        let wrong = Outcome(["name": 5, "channel": "SMS", "default_language": "en-US", "localizations": [], "extra": true])
        #expect(wrong.paths == ["name", "channel", "default_language", "localizations", "extra"])
        #expect(wrong.message(at: "channel") == "must be one of WEBCHAT, WHATSAPP, APPLE")
    }

    @Test func localizationsNeedValidKeysContentAndTheDefaultLanguage() {
        let empty = Outcome(["name": "x", "channel": "WEBCHAT", "default_language": "cs", "localizations": [:]])
        #expect(empty.paths == ["localizations"])
        let missingDefault = Outcome(["name": "x", "channel": "WEBCHAT", "default_language": "de", "localizations": ["cs": ["title": "a"]]])
        #expect(missingDefault.paths == ["default_language"])
        let bad = Outcome([
            "name": "x", "channel": "WEBCHAT", "default_language": "cs",
            "localizations": ["cs": ["title": "a", "bogus": 1], "en-US": ["title": "b"], "de": "text", "it": [:]],
        ])
        #expect(Set(bad.paths) == ["localizations.cs.bogus", "localizations.en-US", "localizations.de", "localizations.it"])
        #expect(bad.message(at: "localizations.it") == "must have a title or a text")
    }

    @Test func textsAreTrimmedBoundedAndOnlyTheTextMayHaveNewlines() {
        let outcome = Outcome.card(["title": "a\nb", "subtitle": "", "text": "ok\u{0}"])
        #expect(outcome.paths == ["localizations.cs.title", "localizations.cs.subtitle", "localizations.cs.text"])
        let long = Outcome.card(["title": .string(String(repeating: "t", count: 201))])
        #expect(long.message(at: "localizations.cs.title") == "must be 1 to 200 characters (after trimming)")
        #expect(Outcome.card(["title": .string(String(repeating: "é", count: 200))]).card != nil)
    }

    @Test func imagesNeedAbsoluteWebURLs() {
        let outcome = Outcome.card([
            "title": "t",
            "images": [["url": "data:image/png;base64,AAA"], ["url": "javascript:alert(1)"], "x", ["alt": .string(String(repeating: "a", count: 201))]],
        ])
        #expect(
            outcome.paths == [
                "localizations.cs.images[2]", "localizations.cs.images[0].url", "localizations.cs.images[1].url",
                "localizations.cs.images[3].url", "localizations.cs.images[3].alt",
            ])
    }

    @Test func buttonValuesMatchTheirType() {
        let outcome = Outcome.card([
            "title": "t",
            "buttons": [
                Outcome.button("openUrl", "A", "ftp://example.com"), Outcome.button("call", "B", "+420601123456"),
                Outcome.button("imBack", "C", ""), Outcome.button("tap", "D", "x"), Outcome.button("signin", "E", "data:text/html,x"),
                Outcome.button("postBack", "F", 5),
            ],
        ])
        #expect(
            outcome.paths == [
                "localizations.cs.buttons[0].value", "localizations.cs.buttons[1].value", "localizations.cs.buttons[2].value",
                "localizations.cs.buttons[3].type", "localizations.cs.buttons[4].value", "localizations.cs.buttons[5].value",
            ])
    }

    @Test func buttonTitlesAreShortAndUniqueIgnoringCase() {
        let outcome = Outcome.card([
            "title": "t",
            "buttons": [Outcome.button("imBack", "Yes", "1"), Outcome.button("imBack", "YES", "2"), Outcome.button("imBack", "A title of 21 chars..", "3")],
        ])
        #expect(outcome.paths == ["localizations.cs.buttons[1].title", "localizations.cs.buttons[2].title"])
    }

    @Test func webchatAndAppleCardsHaveAtMostSixButtons() {
        let seven = (1...7).map { Outcome.button("imBack", "B\($0)", .string("v\($0)")) }
        for channel in ["WEBCHAT", "APPLE"] {
            let outcome = Outcome.card(channel: channel, ["title": "t", "buttons": .array(seven)])
            #expect(outcome.message(at: "localizations.cs.buttons") == "must have at most 6 elements on \(channel) cards, not 7")
            #expect(Outcome.card(channel: channel, ["title": "t", "buttons": .array(Array(seven.prefix(6)))]).card != nil)
        }
    }
}

/// Reads hero-card params the way `hero_cards.create` does (unknown members included).
struct HeroCardReadOutcome {
    var card: HeroCard?
    var issues: [ValidationIssue]
    var warnings: [ValidationIssue]

    init(_ params: [String: JSONValue]) {
        var reader = ParamReader(params)
        card = HeroCard.read(from: &reader)
        reader.reportUnknownMembers()
        issues = reader.issues
        warnings = reader.warnings
        if !issues.isEmpty { card = nil }
    }

    var paths: [String] { issues.map(\.path) }

    /// The message reported at `path`, if any.
    func message(at path: String) -> String? { issues.first { $0.path == path }?.message }

    /// A valid card of `channel` with one localization `cs` holding `localization`.
    static func card(
        channel: String = "WEBCHAT", _ localization: [String: JSONValue], extra: [String: JSONValue] = [:]
    ) -> HeroCardReadOutcome {
        var params: [String: JSONValue] = [
            "name": "Welcome", "channel": .string(channel), "default_language": "cs",
            "localizations": ["cs": .object(localization)],
        ]
        params.merge(extra) { _, new in new }
        return HeroCardReadOutcome(params)
    }

    static func button(_ type: String, _ title: String, _ value: JSONValue) -> JSONValue {
        ["type": .string(type), "title": .string(title), "value": value]
    }
}
