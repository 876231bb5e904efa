extension TemplateComponents {
    /// The longest body.
    static let bodyLength = 1024
    /// The longest footer.
    static let footerLength = 60

    /// Reads the `components` object of `reader` (the template's params).
    static func read(from reader: inout ParamReader, category: TemplateCategory?, format: TemplateParameterFormat?) -> TemplateComponents? {
        guard var components = reader.object("components", required: true) else { return nil }
        if category == .authentication { return readAuthentication(components, into: &reader) }
        var header: TemplateHeader?
        if var headerReader = components.object("header") {
            header = TemplateHeader.read(from: &headerReader, category: category, format: format)
            components.absorb(headerReader)
        }
        let body = readBody(from: &components, format: format)
        let footer = readFooter(from: &components)
        let buttons = readButtons(from: &components, category: category)
        var offer: TemplateLimitedTimeOffer?
        if components.value("limited_time_offer")?.isNull == false, var offerReader = components.object("limited_time_offer") {
            offer = TemplateLimitedTimeOffer.read(from: &offerReader)
            components.absorb(offerReader)
            TemplateLimitedTimeOffer.checkSurroundings(
                category: category, header: header, body: body, footer: footer, buttons: buttons, into: &components)
        }
        var carousel: TemplateCarousel?
        if components.value("carousel")?.isNull == false, var carouselReader = components.object("carousel") {
            carousel = TemplateCarousel.read(from: &carouselReader, format: format)
            components.absorb(carouselReader)
            TemplateCarousel.checkSurroundings(category: category, header: header, footer: footer, buttons: buttons, into: &components)
        }
        let valid = components.issues.isEmpty
        reader.absorb(components)
        guard valid, let body, let buttons else { return nil }
        var content = TemplateComponents(header: header, body: body, footer: footer, buttons: buttons)
        content.limitedTimeOffer = offer
        content.carousel = carousel
        return content
    }

    /// An AUTHENTICATION template's components: Meta's options for its preset body and footer,
    /// and exactly one OTP button.
    private static func readAuthentication(_ components: ParamReader, into reader: inout ParamReader) -> TemplateComponents? {
        var components = components
        let authentication = TemplateAuthentication.read(from: &components)
        let buttons = readButtons(from: &components, category: .authentication)
        let valid = components.issues.isEmpty
        reader.absorb(components)
        guard valid, let authentication, case .otp(let button)? = buttons?.first, buttons?.count == 1 else { return nil }
        return TemplateComponents(authentication: authentication, button: button)
    }

    private static func readBody(from components: inout ParamReader, format: TemplateParameterFormat?) -> TemplateText? {
        guard var reader = components.object("body", required: true) else { return nil }
        let rules = TemplateText.Rules(
            lengths: 1...bodyLength, allowingNewlines: true, maximumVariables: nil,
            exampleLength: TemplateParameterRules.bodyValueLength)
        let body = TemplateText.read(from: &reader, rules: rules, format: format)
        if let body { warnAboutPlacement(of: body.scan, into: &reader) }
        components.absorb(reader)
        return body
    }

    /// Warns about what Meta's review often rejects: a body that starts or ends with a variable,
    /// and variables with only white space between them.
    private static func warnAboutPlacement(of scan: TemplateVariableScan, into reader: inout ParamReader) {
        guard let first = scan.occurrences.first, let last = scan.occurrences.last else { return }
        if first.range.lowerBound == 0 {
            reader.warn("text", "starts with the variable \(first.variable.placeholder); Meta may reject the template")
        }
        if last.range.upperBound == scan.scalars.count {
            reader.warn("text", "ends with the variable \(last.variable.placeholder); Meta may reject the template")
        }
        for (previous, next) in zip(scan.occurrences, scan.occurrences.dropFirst()) {
            let between = scan.scalars[previous.range.upperBound..<next.range.lowerBound]
            if between.allSatisfy(\.properties.isWhitespace) {
                let pair = "\(previous.variable.placeholder) and \(next.variable.placeholder)"
                reader.warn("text", "has the adjacent variables \(pair); Meta may reject the template")
            }
        }
    }

    private static func readFooter(from components: inout ParamReader) -> String? {
        guard var reader = components.object("footer") else { return nil }
        let footer = TextRules.displayText(reader.string("text", required: true), field: "text", lengths: 1...footerLength, into: &reader)
        if let footer { TemplateVariableRules.forbid(TemplateVariableScanner.scan(footer), field: "text", into: &reader) }
        components.absorb(reader)
        return footer
    }

    /// Reads `buttons`: every object element is checked even when others are not objects.
    private static func readButtons(from components: inout ParamReader, category: TemplateCategory?) -> [TemplateButton]? {
        let elements = components.array("buttons", maximumCount: TemplateButtonRules.maximumCount)
        if elements == nil, components.value("buttons").map({ !$0.isNull }) ?? false { return nil }
        var types: [TemplateButtonType?] = []
        var buttons: [TemplateButton] = []
        for (index, element) in (elements ?? []).enumerated() {
            let path = components.elementPath("buttons", index)
            guard case .object(let members) = element else {
                components.reportPath(path, "must be an object, not \(element.typeName)")
                types.append(nil)
                continue
            }
            var reader = ParamReader(members, path: path)
            let (type, button) = TemplateButton.read(from: &reader)
            types.append(type)
            if let button { buttons.append(button) }
            components.absorb(reader)
        }
        TemplateButtonRules.check(types, category: category, into: &components)
        return buttons.count == types.count ? buttons : nil
    }
}
