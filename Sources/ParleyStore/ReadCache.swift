import ParleyModel
import Synchronization

/// Objects read by id, kept in memory for a read-mostly store. Each committed write drops the
/// objects it changed (all of them when a tenant changed) before it is acknowledged, so a read
/// issued after a write was acknowledged never sees what it replaced.
///
/// A reader notes the generation before it reads the database and keeps its result only if no
/// write committed meanwhile, so a read that raced a write cannot put stale data back.
public final class ReadCache: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var tenants: BoundedEntries<Tenant>
        var resources: BoundedEntries<StoredResource>
    }

    private let state: Mutex<State>
    private let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
        state = Mutex(State(tenants: BoundedEntries(capacity: capacity), resources: BoundedEntries(capacity: capacity)))
    }

    /// The generation to pass to ``keep(_:generation:)`` after reading the database.
    public var generation: UInt64 { state.withLock { $0.generation } }

    public func tenant(_ id: String) -> Tenant? { state.withLock { $0.tenants[id] } }

    public func resource(_ id: String) -> StoredResource? { state.withLock { $0.resources[id] } }

    public func keep(_ tenant: Tenant, generation: UInt64) {
        keep(tenant, id: tenant.id, in: \.tenants, generation: generation)
    }

    /// Keeps `resource` with its wire form written (``StoredResource/withWireForm()``), so that
    /// reads answer with bytes instead of a tree to write.
    public func keep(_ resource: StoredResource, generation: UInt64) {
        keep([resource], generation: generation)
    }

    /// An object's id and the revision of its last change: one revision has one content.
    public struct Version: Sendable, Hashable {
        public var id: String
        public var revision: Int64

        public init(id: String, revision: Int64) {
            self.id = id
            self.revision = revision
        }
    }

    /// The kept objects at exactly these versions (nil where not kept, or kept at another
    /// revision), under one lock. The content of a version is the stored row's whatever the read
    /// point, so a list that read the versions from the database may answer with these.
    public func resources(at versions: [Version]) -> [StoredResource?] {
        state.withLock { state in
            versions.map { version in
                guard let kept = state.resources[version.id], kept.revision == version.revision else { return nil }
                return kept
            }
        }
    }

    /// Keeps `resources` (a list's page), under one lock, unless a write committed since `generation`.
    public func keep(_ resources: [StoredResource], generation: UInt64) {
        guard capacity > 0, !resources.isEmpty else { return }
        let withWire = resources.map { $0.hasWireForm ? $0 : $0.withWireForm() }
        // Evicted objects are freed here, after the lock is released.
        let evicted = state.withLock { state -> [BoundedEntries<StoredResource>.Evicted] in
            guard state.generation == generation else { return [] }
            return withWire.compactMap { state.resources.insert($0, id: $0.id) }
        }
        _ = evicted
    }

    /// Keeps `value` unless a write committed since `generation`, making room when full.
    private func keep<Value: Sendable>(_ value: Value, id: String, in entries: WritableKeyPath<State, BoundedEntries<Value>>, generation: UInt64) {
        guard capacity > 0 else { return }
        let evicted = state.withLock { state -> BoundedEntries<Value>.Evicted? in
            guard state.generation == generation else { return nil }
            return state[keyPath: entries].insert(value, id: id)
        }
        _ = evicted  // freed here, after the lock is released
    }

    /// A write committed: forget everything.
    public func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.tenants.removeAll()
            state.resources.removeAll()
        }
    }

    /// A write committed that changed `changes`: forget those objects, or everything when a
    /// tenant changed (a tenant's deletion or rename reaches all of its objects).
    public func invalidate(_ changes: CommittedChanges) {
        guard !changes.tenantChanged else { return invalidate() }
        state.withLock { state in
            state.generation &+= 1
            for id in changes.resourceIds { state.resources.remove(id) }
        }
    }
}
