import ParleyModel

/// `watch.subscribe`: the tenant (absent: the calling key's, or every tenant for `ADMIN`), the
/// families to watch (absent: all) and the revision to start after (absent: now).
struct SubscribeParams: ContextFreeParams {
    /// The tenant named; the handler falls back to the caller's.
    var tenantId: String?
    var families: [String]?
    var fromRevision: Int64?

    init(reading reader: inout ParamReader) throws(ConfigError) {
        tenantId = reader.string("tenant_id")
        let known = WatchMethods.families
        families = reader.stringArray("families", maximumCount: known.count) { family, path, reader in
            guard known.contains(family) else {
                reader.reportPath(path, "must be one of \(known.joined(separator: ", "))")
                return nil
            }
            return family
        }
        fromRevision = reader.integer("from_revision", in: 0...Int64.max)
        try reader.finish()
    }
}

/// `watch.unsubscribe`: the subscription, by the id `watch.subscribe` gave.
struct UnsubscribeParams: ContextFreeParams {
    var subscriptionId: String

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("subscription_id", required: true)
        subscriptionId = try reader.finish(id)
    }
}
