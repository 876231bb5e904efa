/// An optional capability of a store whose memory is only current after a read point: a revision
/// learned from the store by a look-up that started after the read arrived (PostgreSQL's
/// consistent reads, KEP-2340). A server holding a read answers it from memory once it has one
/// (``ConfigurationStore/resourceNow(_:tenantId:id:readPoint:)``), on its own thread, instead of
/// waiting in a task. Concurrent callers share one look-up.
public protocol ReadPoints: Sendable {
    /// Calls `ready` with the store's revision from a look-up that starts after this call, or
    /// nil when the look-up failed (the caller then takes the path that waits and reports why).
    /// `ready` runs on whatever thread the look-up finished on.
    func awaitReadPoint(_ ready: @escaping @Sendable (Int64?) -> Void)
}
