extension TemplateText {
    /// How one kind of template text is checked.
    struct Rules {
        var lengths: ClosedRange<Int>
        var allowingNewlines: Bool
        var maximumVariables: Int?
        var exampleLength: Int
    }

    /// Reads `text` and `examples` of the component object in `reader`, checking the variables
    /// against `format` and an example for each of them (and for nothing else).
    static func read(from reader: inout ParamReader, rules: Rules, format: TemplateParameterFormat?) -> TemplateText? {
        let before = reader.issues.count
        let text = TextRules.displayText(
            reader.string("text", required: true), field: "text", lengths: rules.lengths,
            allowingNewlines: rules.allowingNewlines, into: &reader)
        let scan = text.map(TemplateVariableScanner.scan)
        if let scan {
            TemplateVariableRules.check(scan, field: "text", format: format, maximumVariables: rules.maximumVariables, into: &reader)
        }
        let examples = readExamples(from: &reader, variables: scan?.distinctVariables, exampleLength: rules.exampleLength)
        guard let text, let examples, reader.issues.count == before else { return nil }
        return TemplateText(text: text, examples: examples)
    }

    /// Reads `examples`: one string per variable, keyed by the variable's key. `variables` is nil
    /// when the text is invalid (then only the member's type is checked).
    private static func readExamples(
        from reader: inout ParamReader, variables: [TemplateVariable]?, exampleLength: Int
    ) -> [String: String]? {
        var examples: ParamReader
        switch reader.value("examples") {
        case nil, .null?: examples = ParamReader([:], path: reader.path("examples"))
        case .object?: examples = reader.object("examples")!
        case _?:
            _ = reader.object("examples")
            return nil
        }
        guard let variables else {
            for key in examples.params.keys { _ = examples.value(key) }
            reader.absorb(examples)
            return nil
        }
        var values: [String: String] = [:]
        for variable in variables {
            let value = examples.value(variable.key)
            if value == nil || value?.isNull == true {
                examples.report(variable.key, "is required: every variable needs an example (here \(variable.placeholder))")
            } else if let text = TemplateParameterRules.read(value, name: variable.key, maximumLength: exampleLength, into: &examples) {
                values[variable.key] = text
            }
        }
        let keys = Set(variables.map(\.key))
        for key in examples.params.keys.sorted() where !keys.contains(key) {
            _ = examples.value(key)
            examples.report(key, "is an example for {{\(key)}}, which the text does not have")
        }
        let valid = examples.issues.isEmpty
        reader.absorb(examples)
        return valid ? values : nil
    }
}
