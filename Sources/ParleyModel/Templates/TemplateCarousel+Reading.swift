extension TemplateCarousel {
    /// Reads `components.carousel` (Meta's rules, every problem at its path): 2-10 cards, each an
    /// IMAGE or VIDEO header, an optional body of at most 160 characters, at most 2 buttons of
    /// QUICK_REPLY, URL or PHONE_NUMBER, and every card with the same components.
    static func read(from reader: inout ParamReader, format: TemplateParameterFormat?) -> TemplateCarousel? {
        let before = reader.issues.count
        guard let elements = reader.array("cards", required: true, maximumCount: cardCounts.upperBound) else { return nil }
        if elements.count < cardCounts.lowerBound {
            reader.report("cards", "must hold \(cardCounts.lowerBound) to \(cardCounts.upperBound) cards, not \(elements.count)")
        }
        var cards: [Card] = []
        for (index, element) in elements.enumerated() {
            let path = reader.elementPath("cards", index)
            guard case .object(let members) = element else {
                reader.reportPath(path, "must be an object {header, body?, buttons}, not \(element.typeName)")
                continue
            }
            var cardReader = ParamReader(members, path: path)
            if let card = readCard(from: &cardReader, format: format) { cards.append(card) }
            reader.absorb(cardReader)
        }
        if let first = cards.first {
            for (index, card) in cards.enumerated().dropFirst() where card.shape != first.shape {
                reader.reportPath(
                    reader.elementPath("cards", index),
                    "must have the same components as card 0 (header format, a body or none, the same button types in order): Meta's rule")
            }
        }
        guard reader.issues.count == before, cards.count == elements.count else { return nil }
        return TemplateCarousel(cards: cards)
    }

    private static func readCard(from reader: inout ParamReader, format: TemplateParameterFormat?) -> Card? {
        let before = reader.issues.count
        var header: TemplateHeader?
        if var headerReader = reader.object("header", required: true) {
            header = TemplateHeader.read(from: &headerReader, category: .marketing, format: format)
            if let header, header.format != .image, header.format != .video {
                headerReader.report("format", "must be IMAGE or VIDEO on a carousel card")
            }
            reader.absorb(headerReader)
        }
        var body: TemplateText?
        if reader.value("body")?.isNull == false, var bodyReader = reader.object("body") {
            let rules = TemplateText.Rules(
                lengths: 1...cardBodyLength, allowingNewlines: true, maximumVariables: nil, exampleLength: TemplateParameterRules.bodyValueLength)
            body = TemplateText.read(from: &bodyReader, rules: rules, format: format)
            reader.absorb(bodyReader)
        }
        var buttons: [TemplateButton] = []
        for (index, element) in (reader.array("buttons", maximumCount: maximumButtons) ?? []).enumerated() {
            let path = reader.elementPath("buttons", index)
            guard case .object(let members) = element else {
                reader.reportPath(path, "must be an object, not \(element.typeName)")
                continue
            }
            var buttonReader = ParamReader(members, path: path)
            let (type, button) = TemplateButton.read(from: &buttonReader)
            if let type, !buttonTypes.contains(type) {
                buttonReader.report("type", "must be QUICK_REPLY, URL or PHONE_NUMBER on a carousel card")
            }
            if let button { buttons.append(button) }
            reader.absorb(buttonReader)
        }
        guard reader.issues.count == before, let header else { return nil }
        return Card(header: header, body: body, buttons: buttons)
    }

    /// Meta's rules on the rest of a carousel template: MARKETING, and the template has only its
    /// body besides the cards (no header, footer or buttons of its own).
    static func checkSurroundings(
        category: TemplateCategory?, header: TemplateHeader?, footer: String?, buttons: [TemplateButton]?, into components: inout ParamReader
    ) {
        if let category, category != .marketing {
            components.report("carousel", "is for MARKETING templates only (Meta's rule), not \(category.rawValue)")
        }
        if header != nil { components.report("header", "must not be given with a carousel: the cards carry the headers") }
        if footer != nil { components.report("footer", "must not be given with a carousel (Meta's carousel templates have a body and cards only)") }
        if let buttons, !buttons.isEmpty { components.report("buttons", "must be empty with a carousel: the cards carry the buttons") }
    }
}
