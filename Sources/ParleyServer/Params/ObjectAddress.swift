import ParleyModel

/// Which configuration object a call is about: `tenant_id` and `id`, both required.
struct ObjectAddress: Sendable {
    static let names: Set<String> = ["tenant_id", "id"]

    var tenantId: String
    var id: String

    /// Reads `tenant_id` and `id`, reporting problems into `reader`; nil when either is missing
    /// (its problem reported), for ``ParamReader/finish(_:)`` to hand back.
    static func read(from reader: inout ParamReader) -> ObjectAddress? {
        let tenantId = reader.string("tenant_id", required: true)
        let id = reader.string("id", required: true)
        guard let tenantId, let id else { return nil }
        return ObjectAddress(tenantId: tenantId, id: id)
    }
}
