import ParleyModel

/// `hero_cards.render`.
enum HeroCardMethods {
    static let all: [Method] = [
        Method("hero_cards.render", permission: .tenantRead) { context, params in
            var reader = ParamReader(params)
            let tenantId = reader.string("tenant_id", required: true)
            let id = reader.string("id", required: true)
            let language = reader.string("language")
            if let language, !TextRules.isWhatsAppLanguage(language) {
                reader.report("language", "must be a WhatsApp language code such as \"cs\" or \"en_US\"")
            }
            try reader.finish()
            let stored = try await StoredContent.load(HeroCard.self, tenantId: tenantId!, id: id!, store: context.store)
            return try HeroCardRenderer.render(stored.content, language: language)
        }
    ]
}
