import ParleyModel

/// `hero_cards.render`: the card and the language to render it in.
struct RenderHeroCardParams: ContextFreeParams {
    var address: ObjectAddress
    var language: String?

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        language = reader.string("language")
        if let language, !TextRules.isWhatsAppLanguage(language) {
            reader.report("language", "must be a WhatsApp language code such as \"cs\" or \"en_US\"")
        }
        self.address = try reader.finish(address)
    }
}
