import ParleyModel

extension ChangeEvent {
    /// The event of one change-log row; `snapshot` is the object's JSON as the log stores it
    /// (`fields`, `state`, `revision`, `created_at`, `updated_at` of an object; the columns of a
    /// tenant), nil for a deletion. Every store writes its log rows in this shape.
    public static func logged(
        sequence: Int64, revision: Int64, tenantId: String, family: String, type: String, id: String, snapshot: String?
    ) throws -> ChangeEvent {
        var object: JSONValue?
        if let snapshot {
            guard case .object(let members)? = try? JSONParser.parse(snapshot) else { throw StoreCorruption(reason: "change \(sequence)") }
            object = family == "tenants" ? tenantJSON(id: id, members) : resourceJSON(family: family, id: id, tenantId: tenantId, members)
        }
        return ChangeEvent(sequence: sequence, revision: revision, tenantId: tenantId, family: family, type: type, id: id, object: object)
    }

    private static func stamp(_ value: JSONValue?) -> Timestamp { Timestamp(millisecondsSinceEpoch: value?.intValue ?? 0) }

    private static func resourceJSON(family: String, id: String, tenantId: String, _ snapshot: [String: JSONValue]) -> JSONValue? {
        guard let kind = ResourceKind.all.first(where: { $0.family == family }) else { return nil }
        return StoredResource(
            kind: kind, id: id, tenantId: tenantId, fields: snapshot["fields"]?.objectValue ?? [:], state: snapshot["state"]?.objectValue ?? [:],
            revision: snapshot["revision"]?.intValue ?? 0, createdAt: stamp(snapshot["created_at"]), updatedAt: stamp(snapshot["updated_at"])
        ).json
    }

    private static func tenantJSON(id: String, _ snapshot: [String: JSONValue]) -> JSONValue {
        Tenant(
            id: id, slug: snapshot["slug"]?.stringValue ?? "", name: snapshot["name"]?.stringValue ?? "",
            defaultLanguage: snapshot["default_language"]?.stringValue, timezone: snapshot["timezone"]?.stringValue,
            revision: snapshot["revision"]?.intValue ?? 0, createdAt: stamp(snapshot["created_at"]), updatedAt: stamp(snapshot["updated_at"])
        ).json
    }
}
