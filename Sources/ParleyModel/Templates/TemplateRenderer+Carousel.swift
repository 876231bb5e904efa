extension TemplateRenderer {
    /// A carousel's `parameters.carousel`: an object keyed by card index (`"0"`), each card's
    /// parameters shaped as a template's (`header`, `body`, `buttons`). Every card is sent, as
    /// Meta requires (a send has exactly the template's number of cards): `{"type": "carousel",
    /// "cards": [{"card_index": i, "components": [...]}]}` after the body.
    static func renderCarousel(_ carousel: TemplateCarousel?, format: TemplateParameterFormat, from reader: inout ParamReader) -> Part {
        guard let carousel else {
            if reader.contains("carousel") {
                _ = reader.value("carousel")
                reader.report("carousel", "is not a parameter of this template: it has no carousel")
            }
            return Part()
        }
        guard var section = section("carousel", of: &reader) else { return Part() }
        var cards: [JSONValue] = []
        var previews: [String] = []
        for (index, card) in carousel.cards.enumerated() {
            let key = String(index)
            var given = self.section(key, of: &section) ?? ParamReader([:], path: section.path(key))
            let header = renderHeader(card.header, format: format, from: &given)
            let body = card.body.map { renderText($0, section: "body", maximumLength: TemplateParameterRules.bodyValueLength, format: format, from: &given) }
            let buttons = renderButtons(card.buttons, from: &given)
            section.absorb(given)
            cards.append(["card_index": .int(Int64(index)), "components": .array(header.components + (body?.components ?? []) + buttons.components)])
            previews.append((["[card \(index + 1)]", header.preview, body?.preview, buttons.preview].compactMap { $0 }).joined(separator: "\n"))
        }
        for key in section.params.keys.sorted() where Int(key).map({ !carousel.cards.indices.contains($0) }) ?? true {
            _ = section.value(key)
            section.report(key, "is not a card index: the carousel's cards are numbered 0 to \(carousel.cards.count - 1)")
        }
        reader.absorb(section)
        return Part(components: [["type": "carousel", "cards": .array(cards)]], preview: previews.joined(separator: "\n\n"))
    }
}
