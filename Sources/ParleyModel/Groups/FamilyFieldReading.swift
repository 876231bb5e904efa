/// Field readers shared by the group, WhatsApp number, tag and blocked-file-type families.
///
/// Each reader records its problems in the given `ParamReader`; callers decide validity by
/// comparing `reader.issues.count` before and after reading the whole object.
enum FamilyFieldReading {
    /// A wire enumeration member; `defaultValue` when absent or null (or when invalid, after reporting).
    static func choice<Value: RawRepresentable & CaseIterable>(
        _ name: String, default defaultValue: Value, in reader: inout ParamReader
    ) -> Value where Value.RawValue == String {
        optionalChoice(name, Value.self, in: &reader) ?? defaultValue
    }

    /// An optional wire enumeration member: nil when absent, null or invalid (reported).
    static func optionalChoice<Value: RawRepresentable & CaseIterable>(
        _ name: String, _ type: Value.Type, in reader: inout ParamReader
    ) -> Value? where Value.RawValue == String {
        let allowed = Value.allCases.map(\.rawValue)
        return reader.enumeration(name, allowed).flatMap(Value.init(rawValue:))
    }

    /// An integer member within `range`; `defaultValue` when absent or null.
    static func integer(_ name: String, in range: ClosedRange<Int64>, default defaultValue: Int, in reader: inout ParamReader) -> Int {
        reader.integer(name, in: range).map { Int($0) } ?? defaultValue
    }

    /// A boolean member; `defaultValue` when absent or null.
    static func flag(_ name: String, default defaultValue: Bool, in reader: inout ParamReader) -> Bool {
        reader.bool(name) ?? defaultValue
    }

    /// A required display text of `lengths` characters, trimmed, without control characters.
    static func requiredText(_ name: String, lengths: ClosedRange<Int>, in reader: inout ParamReader) -> String? {
        TextRules.displayText(reader.string(name, required: true), field: name, lengths: lengths, into: &reader)
    }

    /// An object's name: a required text, normalised to NFC first (``TextRules/normalized(_:)``),
    /// so that names which look the same are the same name (uniqueness, export/apply).
    static func objectName(_ name: String, lengths: ClosedRange<Int>, in reader: inout ParamReader) -> String? {
        TextRules.displayText(reader.string(name, required: true).map(TextRules.normalized), field: name, lengths: lengths, into: &reader)
    }

    /// An optional free text of at most `maximumLength` characters, trimmed; an empty text counts as unset.
    static func optionalText(
        _ name: String, maximumLength: Int, allowingNewlines: Bool = false, in reader: inout ParamReader
    ) -> String? {
        let text = TextRules.displayText(
            reader.string(name), field: name, lengths: 0...maximumLength, allowingNewlines: allowingNewlines, into: &reader)
        return text?.isEmpty == false ? text : nil
    }

    /// The id of an object of `kind` (`grp_...`), or nil when absent (reported if `required`) or malformed (reported).
    static func identifier(_ name: String, of kind: ResourceKind, required: Bool, in reader: inout ParamReader) -> String? {
        guard let id = reader.string(name, required: required) else { return nil }
        guard Identifier.isWellFormed(id, prefix: kind.idPrefix) else {
            reader.report(name, "must be a \(kind.type) id (\(kind.idPrefix)_ followed by 26 characters)")
            return nil
        }
        return id
    }

    /// A string of 1 to `maximumLength` ASCII digits (surrounding white space ignored), or nil.
    static func digits(_ name: String, required: Bool, maximumLength: Int = 32, in reader: inout ParamReader) -> String? {
        guard let raw = reader.string(name, required: required) else { return nil }
        let text = TextRules.trimmed(raw)
        guard FieldRules.isDigits(text, maximumLength: maximumLength) else {
            reader.report(name, "must be 1 to \(maximumLength) digits")
            return nil
        }
        return text
    }
}
