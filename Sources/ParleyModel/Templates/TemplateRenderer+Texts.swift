extension TemplateRenderer {
    /// Fills the variables of `text` (the body, or a TEXT header) from the object member `section`
    /// of `reader`: one string per variable, keyed `"1"` or by name, nothing else.
    static func renderText(
        _ text: TemplateText, section name: String, maximumLength: Int, format: TemplateParameterFormat,
        from reader: inout ParamReader
    ) -> Part {
        let variables = text.variables
        guard var section = section(name, of: &reader) else { return Part() }
        guard !variables.isEmpty else {
            rejectMembers(of: &section, "is not a variable of the \(name): it has none")
            reader.absorb(section)
            return Part(preview: text.text)
        }
        var parameters: [JSONValue] = []
        var values: [String: String] = [:]
        for variable in variables {
            let value = section.value(variable.key)
            if value == nil || value?.isNull == true {
                section.report(variable.key, "is required: the value of \(variable.placeholder)")
            } else if let filled = TemplateParameterRules.read(value, name: variable.key, maximumLength: maximumLength, into: &section) {
                values[variable.key] = filled
                var parameter: [String: JSONValue] = ["type": "text", "text": .string(filled)]
                if format == .named { parameter["parameter_name"] = .string(variable.key) }
                parameters.append(.object(parameter))
            }
        }
        let known = Set(variables.map(\.key))
        let list = variables.map(\.placeholder).joined(separator: ", ")
        for key in section.params.keys.sorted() where !known.contains(key) {
            _ = section.value(key)
            section.report(key, "is not a variable of the \(name): it has \(list)")
        }
        reader.absorb(section)
        let component: JSONValue = ["type": .string(name), "parameters": .array(parameters)]
        let preview = text.scan.substituting { values[$0.key] ?? $0.placeholder }
        return Part(components: [component], preview: preview)
    }
}
