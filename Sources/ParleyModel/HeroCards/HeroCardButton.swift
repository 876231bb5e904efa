/// One button of a hero card: a Bot Framework card action `{type, title, value}`.
public struct HeroCardButton: Sendable, Hashable {
    public var type: HeroCardButtonType
    /// The caption, 1-20 characters, unique within its localization (ignoring case).
    public var title: String
    /// A URL, a `tel:` URI or a message, depending on ``type``.
    public var value: String

    public init(type: HeroCardButtonType, title: String, value: String) {
        self.type = type
        self.title = title
        self.value = value
    }

    /// The wire form, stored and rendered alike: `{"type", "title", "value"}`.
    public var json: JSONValue {
        ["type": .string(type.rawValue), "title": .string(title), "value": .string(value)]
    }
}
