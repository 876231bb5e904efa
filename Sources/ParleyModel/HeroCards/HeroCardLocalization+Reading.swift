extension HeroCardLocalization {
    /// Reads one localization object against the limits of `channel` (nil when the channel is
    /// unknown: then the WEBCHAT limits apply). `path` is the localization's own path.
    static func read(from reader: inout ParamReader, path: String, channel: HeroCardChannel?) -> HeroCardLocalization? {
        let problems = reader.issues.count
        let limits = channel?.limits ?? .rich
        let title = TextRules.displayText(reader.string("title"), field: "title", lengths: 1...limits.title, into: &reader)
        let subtitle = TextRules.displayText(
            reader.string("subtitle"), field: "subtitle", lengths: 1...limits.subtitle, into: &reader)
        let text = TextRules.displayText(
            reader.string("text"), field: "text", lengths: 1...limits.text, allowingNewlines: true, into: &reader)
        let images = readImages(from: &reader, channel: channel)
        let buttons = readButtons(from: &reader, channel: channel)
        var tap: HeroCardButton?
        if var tapReader = reader.object("tap") {
            // A tap is any card action (no channel's button-type limits: it is not a button).
            tap = HeroCardButton.read(from: &tapReader, limits: nil)
            reader.absorb(tapReader)
        }
        if reader.params["title"]?.isNull ?? true, reader.params["text"]?.isNull ?? true {
            reader.reportPath(path, "must have a title or a text")
        }
        guard reader.issues.count == problems else { return nil }
        let localization = HeroCardLocalization(title: title, subtitle: subtitle, text: text, images: images, buttons: buttons, tap: tap)
        if channel == .whatsapp { localization.warnAboutWhatsAppLosses(into: &reader) }
        return localization
    }

    /// The valid images; every problem is recorded in `reader`.
    private static func readImages(from reader: inout ParamReader, channel: HeroCardChannel?) -> [HeroCardImage] {
        let elements = elementReaders("images", limit: (channel?.limits ?? .rich).images, channel: channel, from: &reader)
        var images: [HeroCardImage] = []
        for (_, var element) in elements {
            if let image = HeroCardImage.read(from: &element, limits: channel?.limits) { images.append(image) }
            reader.absorb(element)
        }
        return images
    }

    /// The valid buttons; every problem (duplicate titles and reply ids included) is recorded in `reader`.
    private static func readButtons(from reader: inout ParamReader, channel: HeroCardChannel?) -> [HeroCardButton] {
        let limits = channel?.limits ?? .rich
        let elements = elementReaders("buttons", limit: limits.buttons, channel: channel, from: &reader)
        var buttons: [HeroCardButton] = []
        var titles: [String: Int] = [:]
        var values: [String: Int] = [:]
        for (index, var element) in elements {
            if let button = HeroCardButton.read(from: &element, limits: channel?.limits) {
                buttons.append(button)
                if let first = titles[button.title.lowercased()] {
                    element.report(
                        "title", "must be unique within the localization (ignoring case): buttons[\(first)] has the same title")
                } else {
                    titles[button.title.lowercased()] = index
                }
                if limits.uniqueButtonValues, let first = values[button.value] {
                    element.report(
                        "value",
                        "must be unique within the localization on WHATSAPP cards (it is the reply id): buttons[\(first)] has the same value"
                    )
                } else {
                    values[button.value] = index
                }
            }
            reader.absorb(element)
        }
        if channel == .whatsapp, buttons.count > 1, let index = buttons.firstIndex(where: { $0.type == .openUrl }) {
            reader.reportPath(
                reader.elementPath("buttons", index) + ".type",
                "an openUrl button must be the only button of a WHATSAPP card: Meta's cta_url message has one URL button")
        }
        return buttons
    }

    /// A reader for each object element of array member `name` (absent or null: none), with its
    /// index; reports a non-array, each non-object element, and more than `limit` elements.
    private static func elementReaders(
        _ name: String, limit: Int, channel: HeroCardChannel?, from reader: inout ParamReader
    ) -> [(index: Int, reader: ParamReader)] {
        guard let elements = reader.array(name, maximumCount: .max) else { return [] }
        if elements.count > limit {
            let scope = channel.map { " on \($0.rawValue) cards" } ?? ""
            reader.report(name, "must have at most \(limit) \(limit == 1 ? "element" : "elements")\(scope), not \(elements.count)")
        }
        var readers: [(index: Int, reader: ParamReader)] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                reader.reportPath(reader.elementPath(name, index), "must be an object, not \(element.typeName)")
                continue
            }
            readers.append((index, ParamReader(members, path: reader.elementPath(name, index))))
        }
        return readers
    }

    /// Warns about content a WhatsApp rendering cannot show (see ``HeroCardRenderer/whatsappMessage(_:)``).
    private func warnAboutWhatsAppLosses(into reader: inout ParamReader) {
        if tap != nil { reader.warn("tap", "is not shown on WhatsApp: a WhatsApp message has no card-wide action") }
        guard !images.isEmpty else { return }
        if title != nil, text != nil {
            reader.warn(
                "title",
                "is not shown on WhatsApp when the card has both an image and a text: the image is the header and the text the body")
        }
        if subtitle != nil, buttons.isEmpty {
            reader.warn(
                "subtitle",
                "is not shown on WhatsApp when a card with an image has no buttons: it is sent as an image with a caption")
        }
    }
}
