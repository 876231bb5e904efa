import ParleyModel

/// The JSON Schema of one field (or of a method's params as an object), from the OpenRPC
/// document the server serves with `rpc.discover`, with `$ref`s resolved against that document.
struct FieldSchema: Sendable {
    /// The schema object itself (with `$ref` followed).
    let schema: [String: JSONValue]
    /// The whole OpenRPC document, for resolving references further down.
    let document: JSONValue

    /// The params of `method` as one object schema whose properties are the params' schemas;
    /// nil when the document does not describe `method`.
    static func params(of method: String, in document: JSONValue) -> FieldSchema? {
        guard let description = document["methods"]?.arrayValue?.first(where: { $0["name"]?.stringValue == method }) else { return nil }
        var properties: [String: JSONValue] = [:]
        for param in description["params"]?.arrayValue ?? [] {
            if let name = param["name"]?.stringValue, let schema = param["schema"] { properties[name] = schema }
        }
        return FieldSchema(schema: ["type": "object", "properties": .object(properties)], document: document)
    }

    init(schema: [String: JSONValue], document: JSONValue) {
        self.document = document
        self.schema = Self.resolved(schema, in: document)
    }

    /// The JSON types the field allows (`type`, a list of them, or the union over `anyOf`/`oneOf`);
    /// empty when the schema does not say.
    var types: Set<String> {
        var types: Set<String> = []
        switch schema["type"] {
        case .string(let name)?: types.insert(name)
        case .array(let names)?: types.formUnion(names.compactMap(\.stringValue))
        default: break
        }
        for alternative in alternatives { types.formUnion(alternative.types) }
        return types
    }

    /// The schema of member `name` of an object field; nil when no alternative describes it.
    func property(_ name: String) -> FieldSchema? {
        if let member = schema["properties"]?[name]?.objectValue { return FieldSchema(schema: member, document: document) }
        return alternatives.lazy.compactMap { $0.property(name) }.first
    }

    /// The schema of the elements of an array field.
    var items: FieldSchema? {
        if let items = schema["items"]?.objectValue { return FieldSchema(schema: items, document: document) }
        return alternatives.lazy.compactMap(\.items).first
    }

    private var alternatives: [FieldSchema] {
        ((schema["anyOf"]?.arrayValue ?? []) + (schema["oneOf"]?.arrayValue ?? []) + (schema["allOf"]?.arrayValue ?? []))
            .compactMap(\.objectValue).map { FieldSchema(schema: $0, document: document) }
    }

    /// `schema` with a local `$ref` (`#/components/schemas/GroupId`, also into properties) followed,
    /// at most a few levels deep.
    private static func resolved(_ schema: [String: JSONValue], in document: JSONValue) -> [String: JSONValue] {
        var schema = schema
        for _ in 0..<8 {
            guard let reference = schema["$ref"]?.stringValue, reference.hasPrefix("#/") else { break }
            var target: JSONValue? = document
            for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
                let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                target = target?[name]
            }
            guard let members = target?.objectValue else { break }
            schema.removeValue(forKey: "$ref")
            schema = members.merging(schema) { _, own in own }
        }
        return schema
    }
}
