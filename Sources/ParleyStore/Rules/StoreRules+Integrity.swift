import ParleyModel

/// Unique keys and references: checked explicitly here (for precise errors) and enforced by each
/// store's schema too.
extension StoreRules {
    /// The object `id` of `kind` in `tenantId`; objects of other tenants are reported as not found.
    static func existingResource<Tx: StoreTransaction>(_ kind: ResourceKind, tenantId: String, id: String, tx: Tx) throws -> StoredResource {
        guard let resource = try tx.resource(kind, tenantId: tenantId, id: id) else {
            try requireTenant(tenantId, tx: tx)
            throw ConfigError.notFound(type: kind.type, id: id)
        }
        return resource
    }

    /// Replaces the keys of object `id` (only those named in `names`, when given), failing with
    /// `already_exists` when another object holds one. A `new` object has no keys to replace.
    static func storeKeys<Tx: StoreTransaction>(
        _ keys: [UniqueKey], kind: ResourceKind, tenantId: String, id: String, replacing names: Set<String>? = nil,
        new: Bool = false, tx: Tx
    ) throws {
        if !new { try tx.deleteKeys(of: id, named: names) }
        for key in keys {
            let scope = key.scope == .global ? "*" : tenantId
            guard let holder = try tx.claimKey(kind: kind, scope: scope, name: key.name, value: key.value, for: id) else { continue }
            var details: [String: JSONValue] = ["field": .string(key.field)]
            if key.scope == .tenant { details["existing_id"] = .string(holder) }
            throw ConfigError.conflict(reason: "already_exists", message: key.message, details: details)
        }
    }

    /// Replaces the references of object `id`; each target must be an object of the same tenant.
    /// A `new` object has none to replace.
    static func storeReferences<Tx: StoreTransaction>(
        _ references: [ResourceReference], tenantId: String, id: String, new: Bool = false, tx: Tx
    ) throws {
        if !new { try tx.deleteReferences(from: id) }
        for reference in references {
            _ = try existingResource(reference.kind, tenantId: tenantId, id: reference.id, tx: tx)
            try tx.insertReference(from: id, field: reference.field, to: reference.id)
        }
    }

    /// The `in_use` conflict for deleting `id` while `referrers` point at it.
    static func inUse(_ kind: ResourceKind, id: String, referrers: [ResourceLink]) -> ConfigError {
        let noun = referrers.count == 1 ? "object refers" : "objects refer"
        return .conflict(
            reason: "in_use",
            message: "\(kind.type) \(id) cannot be deleted: \(referrers.count) \(noun) to it",
            details: ["referrers": .array(referrers.map(\.json))])
    }
}
