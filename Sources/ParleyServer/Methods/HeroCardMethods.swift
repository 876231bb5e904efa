import ParleyModel

/// `hero_cards.render`.
enum HeroCardMethods {
    static let all: [Method] = [
        Method("hero_cards.render", permission: .tenantRead, handler: render)
    ]

    static func render(_ context: RequestContext, _ params: RenderHeroCardParams) async throws -> JSONValue {
        let stored = try await StoredContent.load(HeroCard.self, tenantId: params.address.tenantId, id: params.address.id, store: context.store)
        return try HeroCardRenderer.render(stored.content, language: params.language)
    }
}
