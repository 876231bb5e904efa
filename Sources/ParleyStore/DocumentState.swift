import ParleyModel

/// A tenant's stored objects seen as document items: each with its link value and match key.
struct DocumentState: Sendable {
    struct Entry: Sendable {
        var resource: StoredResource
        var item: [String: JSONValue]
        var linkValue: JSONValue
        var key: String
    }

    var entries: [ResourceKind: [Entry]] = [:]
    /// Match key -> id, per family.
    var idByKey: [ResourceKind: [String: String]] = [:]
    /// Id -> link value, for exporting references.
    var linkValueByID: [String: JSONValue] = [:]

    init(resources: [StoredResource]) {
        let byKind = Dictionary(grouping: resources, by: \.kind)
        // Link values that do not depend on other objects first (everything but templates).
        for resource in resources where resource.kind != .template {
            linkValueByID[resource.id] = ConfigDocument.linkValue(resource.kind, item: resource.fields)
        }
        for kind in ConfigDocument.families {
            var list: [Entry] = []
            for resource in byKind[kind] ?? [] {
                let item = ConfigDocument.exported(kind, fields: resource.fields) { linkValueByID[$1] }
                let linkValue = ConfigDocument.linkValue(kind, item: item)
                linkValueByID[resource.id] = linkValue
                let key = ConfigDocument.matchKey(kind, linkValue: linkValue)
                idByKey[kind, default: [:]][key] = resource.id
                list.append(Entry(resource: resource, item: item, linkValue: linkValue, key: key))
            }
            entries[kind] = list.sorted { $0.key < $1.key }
        }
    }

    /// The export document of `tenant`.
    func document(of tenant: Tenant) -> JSONValue {
        var document: [String: JSONValue] = [
            "version": .int(ConfigDocument.version),
            "tenant": ["name": .string(tenant.name), "default_language": .optional(tenant.defaultLanguage), "timezone": .optional(tenant.timezone)],
        ]
        for kind in ConfigDocument.families {
            document[kind.family] = .array((entries[kind] ?? []).map { .object($0.item) })
        }
        return .object(document)
    }
}
