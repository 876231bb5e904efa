extension HeroCardRenderer {
    /// The Cloud API message for a WHATSAPP localization, without `to`:
    /// - with one `openUrl` button: Meta's call-to-action URL message (`interactive.type`
    ///   `cta_url`), the button's title as its display text (at most 20) and its value as the URL;
    ///   header, body and footer as below;
    /// - with buttons: an interactive reply-button message. Header: the image, else the title
    ///   when there is also a text. Body: the text, else the title. Footer: the subtitle. Each
    ///   button is a reply whose `id` is the button's value;
    /// - without buttons but with an image: an image message, captioned with the text, else the title;
    /// - otherwise: a text message whose body is the title, text and subtitle separated by blank lines.
    public static func whatsappMessage(_ localization: HeroCardLocalization) -> JSONValue {
        var message: [String: JSONValue] = ["messaging_product": "whatsapp", "recipient_type": "individual"]
        let body = localization.text ?? localization.title ?? ""
        let image = localization.images.first
        if !localization.buttons.isEmpty {
            message["type"] = "interactive"
            message["interactive"] = interactive(localization, body: body)
        } else if let image {
            message["type"] = "image"
            message["image"] = ["link": .string(image.url), "caption": .string(body)]
        } else {
            let parts = [localization.title, localization.text, localization.subtitle].compactMap { $0 }
            message["type"] = "text"
            message["text"] = ["body": .string(parts.joined(separator: "\n\n"))]
        }
        return .object(message)
    }

    private static func interactive(_ localization: HeroCardLocalization, body: String) -> JSONValue {
        var interactive: [String: JSONValue] = ["body": ["text": .string(body)]]
        if localization.buttons.count == 1, let link = localization.buttons.first, link.type == .openUrl {
            interactive["type"] = "cta_url"
            interactive["action"] = ["name": "cta_url", "parameters": ["display_text": .string(link.title), "url": .string(link.value)]]
        } else {
            interactive["type"] = "button"
            interactive["action"] = ["buttons": .array(localization.buttons.map(replyButton))]
        }
        if let image = localization.images.first {
            interactive["header"] = ["type": "image", "image": ["link": .string(image.url)]]
        } else if let title = localization.title, localization.text != nil {
            interactive["header"] = ["type": "text", "text": .string(title)]
        }
        if let subtitle = localization.subtitle {
            interactive["footer"] = ["text": .string(subtitle)]
        }
        return .object(interactive)
    }

    private static func replyButton(_ button: HeroCardButton) -> JSONValue {
        ["type": "reply", "reply": ["id": .string(button.value), "title": .string(button.title)]]
    }
}
