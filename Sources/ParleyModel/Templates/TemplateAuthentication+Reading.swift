extension TemplateAuthentication {
    /// Reads the `body` and `footer` of an AUTHENTICATION template's `components` (`header` is
    /// refused), each problem at its path.
    static func read(from components: inout ParamReader) -> TemplateAuthentication? {
        let before = components.issues.count
        if components.contains("header"), components.value("header")?.isNull == false {
            components.report("header", "must not be given in an AUTHENTICATION template: Meta sends its preset text, with no header or media")
        }
        var addSecurity = false
        if var body = components.object("body", required: true) {
            refusePresetText(in: &body, instead: "add_security_recommendation (true adds Meta's \"For your security, do not share this code.\")")
            addSecurity = body.bool("add_security_recommendation") ?? false
            components.absorb(body)
        }
        var minutes: Int?
        if components.value("footer")?.isNull == false, var footer = components.object("footer") {
            refusePresetText(in: &footer, instead: "code_expiration_minutes (\(expirationMinutes.lowerBound)-\(expirationMinutes.upperBound))")
            minutes = footer.integer("code_expiration_minutes", in: Int64(expirationMinutes.lowerBound)...Int64(expirationMinutes.upperBound)).map(Int.init)
            components.absorb(footer)
        }
        guard components.issues.count == before else { return nil }
        return TemplateAuthentication(addSecurityRecommendation: addSecurity, codeExpirationMinutes: minutes)
    }

    private static func refusePresetText(in reader: inout ParamReader, instead: String) {
        guard reader.contains("text") else { return }
        _ = reader.value("text")
        reader.report("text", "cannot be given in an AUTHENTICATION template: Meta sends its own preset text; set \(instead)")
    }
}
