extension ResourceKind {
    /// Fields added to a family after objects of it may have been stored, with the value such an
    /// object has (null: never synced). ``StoredResource`` fills them in, so that every object of a
    /// family has the same members however old its row is, and an update that changes nothing
    /// stays a no-op.
    public var laterFields: [String: JSONValue] { Self.laterFieldsByKind[self] ?? [:] }

    private static let laterFieldsByKind: [ResourceKind: [String: JSONValue]] = [
        .whatsappNumber: ["name_status": .null, "code_verification_status": .null, "throughput_level": .null, "account_mode": .null],
        .template: ["message_send_ttl_seconds": .null],
    ]
}
