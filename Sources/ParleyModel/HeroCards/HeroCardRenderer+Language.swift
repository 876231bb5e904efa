extension HeroCardRenderer {
    /// The localization to render for `requested`, in this order: the exact language; its base
    /// language (`en_US` -> `en`); another variant of the same base language, the first in sorted
    /// order (`en` or `en_US` -> `en_GB`); the card's default language.
    public static func chooseLanguage(_ requested: String?, in card: HeroCard) -> String {
        let available = card.localizations.keys.sorted()
        if let requested {
            if card.localizations[requested] != nil { return requested }
            let base = String(requested.prefix { $0 != "_" })
            if card.localizations[base] != nil { return base }
            if let variant = available.first(where: { $0.hasPrefix(base + "_") }) { return variant }
        }
        if card.localizations[card.defaultLanguage] != nil { return card.defaultLanguage }
        return available.first ?? card.defaultLanguage
    }
}
