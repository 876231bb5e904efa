/// The declarative form of a tenant's configuration (`config.export` / `config.apply`).
///
/// Objects appear without ids, revisions or timestamps, and refer to each other by natural keys
/// (a group by name, a number by phone number, a template by number + name + language), so that
/// a document diffs cleanly in git and can be applied to another tenant.
public enum ConfigDocument {
    public static let version: Int64 = 1

    /// The families in the order they are created (referenced families first).
    public static let families: [ResourceKind] = [.businessHours, .group, .whatsappNumber, .template, .heroCard, .tag, .blockedFileType, .filePolicy]

    /// A reference held in `idField` of stored fields and in `member` of a document item.
    public struct Link: Sendable, Hashable {
        public var idField: String
        public var member: String
        public var target: ResourceKind
    }

    // swift-format-ignore
    // (one line a family, as protocol/tests/test_openrpc.py reads them)
    public static func links(of kind: ResourceKind) -> [Link] {
        switch kind {
        case .group: [Link(idField: "fallback_group_id", member: "fallback_group", target: .group), Link(idField: "business_hours_id", member: "business_hours", target: .businessHours)]
        case .whatsappNumber: [Link(idField: "routing_group_id", member: "routing_group", target: .group), Link(idField: "business_hours_id", member: "business_hours", target: .businessHours)]
        case .template: [Link(idField: "whatsapp_number_id", member: "whatsapp_number", target: .whatsappNumber)]
        case .heroCard: [Link(idField: "template_id", member: "template", target: .template)]
        default: []
        }
    }

    /// The content type of a family, for validating document items.
    public static func contentType(of kind: ResourceKind) -> any ResourceContent.Type {
        switch kind {
        case .group: OperatorGroup.self
        case .whatsappNumber: WhatsAppNumber.self
        case .template: WhatsAppTemplate.self
        case .heroCard: HeroCard.self
        case .tag: Tag.self
        case .filePolicy: FilePolicy.self
        case .businessHours: BusinessHours.self
        default: BlockedFileType.self
        }
    }

    /// How other items refer to this exported item: its natural key as a JSON value.
    public static func linkValue(_ kind: ResourceKind, item: [String: JSONValue]) -> JSONValue {
        switch kind {
        case .whatsappNumber: item["phone_number"] ?? .null
        case .template:
            ["whatsapp_number": item["whatsapp_number"] ?? .null, "name": item["name"] ?? .null, "language": item["language"] ?? .null]
        case .heroCard: ["channel": item["channel"] ?? .null, "name": item["name"] ?? .null]
        case .blockedFileType: item["extension"] ?? .null
        case .filePolicy: item["channel"] ?? .null
        default: item["name"] ?? .null
        }
    }

    /// The text two items are matched by, normalised as the family's validation normalises
    /// (trimmed, case-insensitive names, E.164 phone numbers, bare lower-case extensions).
    public static func matchKey(_ kind: ResourceKind, linkValue: JSONValue) -> String {
        func name(_ value: JSONValue?) -> String { TextRules.trimmed(value?.stringValue ?? "").lowercased() }
        func phone(_ value: JSONValue?) -> String { value?.stringValue.map { FieldRules.e164($0) ?? $0 } ?? "" }
        switch kind {
        case .group, .tag, .businessHours: return name(linkValue)
        case .whatsappNumber: return phone(linkValue)
        case .blockedFileType: return BlockedFileType.normalisedExtension(linkValue.stringValue ?? "") ?? (linkValue.stringValue ?? "")
        case .filePolicy: return linkValue.stringValue ?? ""
        case .heroCard: return "\(linkValue["channel"]?.stringValue ?? ""):\(name(linkValue["name"]))"
        default:
            let parts = [phone(linkValue["whatsapp_number"]), TextRules.trimmed(linkValue["name"]?.stringValue ?? "")]
            return (parts + [linkValue["language"]?.stringValue ?? ""]).joined(separator: "|")
        }
    }

    /// A link value as people write it (`"Sales"`, `+420601..., order_ready, cs`).
    public static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .object(let members): members.keys.sorted().map { "\($0) \(members[$0].map(describe) ?? "null")" }.joined(separator: ", ")
        default: "\(value)"
        }
    }

    /// A stored object's fields as a document item: ids replaced by the link values of what they point at.
    public static func exported(
        _ kind: ResourceKind, fields: [String: JSONValue], linkValueOf: (ResourceKind, String) -> JSONValue?
    ) -> [String: JSONValue] {
        var item = fields
        for link in links(of: kind) {
            let id = item.removeValue(forKey: link.idField)?.stringValue
            item[link.member] = id.flatMap { linkValueOf(link.target, $0) } ?? .null
        }
        return item
    }

    /// A document item as fields: link values replaced by ids (reported at `path` when unknown).
    public static func imported(
        _ kind: ResourceKind, item: [String: JSONValue], path: String, idOf: (ResourceKind, JSONValue) -> String?,
        issues: inout [ValidationIssue]
    ) -> [String: JSONValue] {
        var fields = item
        for link in links(of: kind) {
            if fields.removeValue(forKey: link.idField) != nil {
                issues.append(
                    ValidationIssue(
                        path: "\(path).\(link.idField)", message: "is not part of a document: name the \(link.target.type) in \(link.member)"))
            }
            guard let value = fields.removeValue(forKey: link.member), !value.isNull else { continue }
            if let id = idOf(link.target, value) {
                fields[link.idField] = .string(id)
            } else {
                // A placeholder keeps the family's own checks from reporting the id missing as well.
                fields[link.idField] = .string(link.target.idPrefix + "_" + String(repeating: "0", count: 26))
                issues.append(
                    ValidationIssue(
                        path: "\(path).\(link.member)", message: "no \(link.target.type) \(describe(value)) in the document or the tenant"))
            }
        }
        return fields
    }
}
