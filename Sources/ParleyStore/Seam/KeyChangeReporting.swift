/// An optional capability of a store shared by several processes (PostgreSQL replicas): it reports
/// API keys changed by any of them (revoked, rotated, expired, deleted with their tenant), so that
/// the server drops them from its verified-key cache and closes their connections everywhere.
/// A store used by one process alone (SQLite) does not need it: the server sees its own writes.
public protocol KeyChangeReporting: Sendable {
    /// The changes, for one consumer (the server), for as long as the store is open.
    func keyChangeEvents() -> AsyncStream<KeyChangeEvent>
}

/// What changed about API keys.
public enum KeyChangeEvent: Sendable, Hashable {
    /// Key `keyId` changed or was deleted: look it up again.
    case changed(keyId: String)
    /// Changes may have been missed (the store lost its notifications for a while): look up every
    /// key in use again.
    case resync
}
