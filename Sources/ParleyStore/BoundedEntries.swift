import DequeModule

/// The entries of a ``ReadCache`` map, at most `capacity` of them, the oldest-inserted evicted
/// first, one per insert.
///
/// One per insert, in constant time, and what it evicts is handed back to be freed after the
/// cache's lock is released: the cache once dropped an eighth of its entries at a time, and
/// freeing twelve thousand objects under the lock stalled every reader for tens of milliseconds
/// (a `groups.get` p99 of 20 ms at 5,000/s over a million groups, 0.75 ms with the cache off).
/// The insertion order is a `Deque`: an array whose passed head was cut off every `capacity`
/// inserts moved the rest and freed a hundred thousand ids under the lock (a p999 of 13-22 ms).
struct BoundedEntries<Value> {
    private(set) var entries: [String: Value] = [:]
    /// Ids in insertion order, the oldest first. Ids removed since (a write dropped them) stay
    /// until reached, and are skipped then.
    private var order: Deque<String> = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// What an insert evicted, for the caller to free outside its lock.
    struct Evicted {
        fileprivate(set) var values: [Value] = []
        fileprivate(set) var ids: [String] = []
    }

    subscript(id: String) -> Value? { entries[id] }

    var count: Int { entries.count }

    /// Stores `value`; when that needs room, removes the oldest entry and returns it (with the
    /// ids passed), so the caller can free them outside its lock.
    mutating func insert(_ value: Value, id: String) -> Evicted? {
        guard capacity > 0 else { return nil }
        guard entries.updateValue(value, forKey: id) == nil else { return nil }
        order.append(id)
        var evicted = Evicted()
        while entries.count > capacity, let oldest = order.popFirst() {
            if oldest != id, let removed = entries.removeValue(forKey: oldest) { evicted.values.append(removed) }
            evicted.ids.append(oldest)
        }
        if order.count > 4 * max(capacity, 16) { evicted.ids += compactOrder() }
        return evicted.ids.isEmpty ? nil : evicted
    }

    /// Ids in the insertion order, removed ones included (for tests: it stays bounded).
    var orderedIds: Int { order.count }

    mutating func remove(_ id: String) {
        entries[id] = nil
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }

    /// Rebuilds `order` from the live entries when ids removed by writes piled up (amortised
    /// constant time per insert); returns the old order, to be freed outside the lock.
    private mutating func compactOrder() -> [String] {
        var seen = Set<String>()
        let live = order.reversed().filter { entries[$0] != nil && seen.insert($0).inserted }
        let old = Array(order)
        order = Deque(live.reversed())
        return old
    }
}

extension BoundedEntries: Sendable where Value: Sendable {}
extension BoundedEntries.Evicted: Sendable where Value: Sendable {}
