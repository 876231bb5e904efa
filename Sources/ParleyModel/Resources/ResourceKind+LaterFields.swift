extension ResourceKind {
    /// Fields added to a family after objects of it may have been stored, with the value such an
    /// object has (null: never synced). ``StoredResource`` fills them in, so that every object of a
    /// family has the same members however old its row is, and an update that changes nothing
    /// stays a no-op.
    public var laterFields: [String: JSONValue] { Self.laterFieldsByKind[self] ?? [:] }

    /// Server-kept state added later, likewise (a template's review members).
    public var laterState: [String: JSONValue] { Self.laterStateByKind[self] ?? [:] }

    private static let laterStateByKind: [ResourceKind: [String: JSONValue]] = [
        .template: ["rejected_reason": .null, "previous_category": .null, "meta_template_id": .null, "quality_score": .null, "edits_while_approved": []]
    ]

    private static let laterFieldsByKind: [ResourceKind: [String: JSONValue]] = [
        .group: ["business_hours_id": .null],
        .whatsappNumber: [
            "name_status": .null, "code_verification_status": .null, "throughput_level": .null, "account_mode": .null,
            "business_hours_id": .null,
        ],
        .template: ["message_send_ttl_seconds": .null],
    ]
}
