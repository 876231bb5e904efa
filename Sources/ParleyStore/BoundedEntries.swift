/// The entries of a ``ReadCache`` map, at most `capacity` of them, the oldest-inserted evicted
/// first, one per insert.
///
/// One per insert, in constant time: the cache once dropped an eighth of its entries at a time,
/// and freeing twelve thousand objects under the cache's lock stalled every reader for tens of
/// milliseconds (a `groups.get` p99 of 20 ms at 5,000/s over a million groups, 0.75 ms with the
/// cache off).
struct BoundedEntries<Value> {
    private(set) var entries: [String: Value] = [:]
    /// Ids in insertion order, the oldest at `head`. Ids removed since (a write dropped them)
    /// stay until reached, and are skipped then.
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(id: String) -> Value? { entries[id] }

    var count: Int { entries.count }

    /// Stores `value`; when that needs room, removes the oldest entry and returns it, so the
    /// caller can free it outside its lock.
    mutating func insert(_ value: Value, id: String) -> Value? {
        guard capacity > 0 else { return nil }
        var evicted: Value?
        if entries.updateValue(value, forKey: id) == nil {
            order.append(id)
            while entries.count > capacity, head < order.count {
                let oldest = order[head]
                head += 1
                if oldest != id, let removed = entries.removeValue(forKey: oldest) { evicted = removed }
            }
        }
        compactOrder()
        return evicted
    }

    mutating func remove(_ id: String) {
        entries[id] = nil
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        head = 0
    }

    /// Keeps `order` within a few times the capacity: drops what was passed, and rebuilds it
    /// from the entries when removed ids piled up (amortised constant time per insert).
    private mutating func compactOrder() {
        if head >= capacity {
            order.removeFirst(head)
            head = 0
        }
        if order.count > 4 * max(capacity, 16) {
            let live = order.filter { entries[$0] != nil }
            var seen = Set<String>()
            order = live.reversed().filter { seen.insert($0).inserted }.reversed()
            head = 0
        }
    }
}
extension BoundedEntries: Sendable where Value: Sendable {}
