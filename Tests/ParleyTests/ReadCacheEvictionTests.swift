import ParleyModel
import Testing

@testable import ParleyStore

/// The in-memory tier on its own: bounded, evicting the oldest one at a time, and off at capacity 0.
@Suite struct ReadCacheEvictionTests {
    private func resource(_ number: Int) -> StoredResource {
        StoredResource(
            kind: .group, id: "grp_\(number)", tenantId: "tnt_1", fields: ["name": .string("g\(number)")], state: [:],
            revision: 1, createdAt: Timestamp(millisecondsSinceEpoch: 0), updatedAt: Timestamp(millisecondsSinceEpoch: 0))
    }

    @Test func aFullCacheKeepsTheNewest() {
        let cache = ReadCache(capacity: 64)
        for number in 0..<200 { cache.keep(resource(number), generation: cache.generation) }
        let kept = (0..<200).filter { cache.resource("grp_\($0)") != nil }
        #expect(kept == Array(136..<200), "bounded, never emptied at once, the newest kept")
    }

    /// One entry out per entry in once full, the oldest first: no batch of evictions (freeing an
    /// eighth of a full cache at once under its lock stalled every reader for milliseconds).
    @Test func aFullCacheEvictsTheOldestOnePerInsert() {
        var entries = BoundedEntries<Int>(capacity: 100)
        for number in 0..<100 { #expect(entries.insert(number, id: "grp_\(number)") == nil) }
        let first = entries.insert(100, id: "grp_100")
        #expect(first?.values == [0] && first?.ids == ["grp_0"], "the oldest goes, alone, handed back to be freed")
        #expect(entries.count == 100)
        entries.remove("grp_1")
        #expect(entries.insert(101, id: "grp_101") == nil, "room left by a removal is used first")
        let skipped = entries.insert(102, id: "grp_102")
        #expect(skipped?.values == [2] && skipped?.ids == ["grp_1", "grp_2"], "a removed id is skipped: the next oldest goes")
        #expect(entries.insert(5, id: "grp_5") == nil, "replacing a kept entry evicts nothing")
        for number in 1_000..<5_000 { _ = entries.insert(number, id: "grp_\(number)") }
        #expect(entries.count == 100)
        #expect(entries["grp_4999"] == 4_999 && entries["grp_4900"] == 4_900 && entries["grp_4899"] == nil)
    }

    /// Writes remove entries whose ids stay in the insertion order until reached; many of them
    /// rebuild the order from the live entries, and eviction still takes the oldest live one.
    @Test func idsRemovedByWritesDoNotPileUp() {
        var entries = BoundedEntries<Int>(capacity: 16)
        for round in 0..<10_000 {
            _ = entries.insert(round, id: "grp_\(round)")
            if round % 2 == 1 { entries.remove("grp_\(round)") }
        }
        // The last insert (9,999) evicted 9,968 to make room, then its write removed it.
        #expect(entries.count == 15)
        let kept = (0..<10_000).filter { entries["grp_\($0)"] != nil }
        #expect(kept == Array(stride(from: 9_970, to: 10_000, by: 2)), "the newest live ones")
    }

    /// A cache below its capacity evicts nothing, and ids its writes removed must not pile up
    /// there either (a few objects read and updated over and over).
    @Test func idsRemovedByWritesDoNotPileUpBelowCapacity() {
        var entries = BoundedEntries<Int>(capacity: 100)
        for round in 0..<10_000 {
            _ = entries.insert(round, id: "grp_\(round % 10)")
            entries.remove("grp_\(round % 10)")
        }
        #expect(entries.count == 0)
        #expect(entries.orderedIds <= 4 * 100 + 1)
    }

    /// A list reuses a kept object only at the revision its row has (a replica's cache may still
    /// hold the version a write replaced, until its listener applies the change), with the wire form written.
    @Test func aListReusesAKeptObjectOnlyAtTheRowsRevision() {
        let cache = ReadCache(capacity: 64)
        cache.keep(resource(1), generation: cache.generation)
        cache.keep([resource(2), resource(3)], generation: cache.generation)
        let versions: [ReadCache.Version] = [
            .init(id: "grp_1", revision: 1), .init(id: "grp_2", revision: 2), .init(id: "grp_3", revision: 1), .init(id: "grp_4", revision: 1),
        ]
        let found = cache.resources(at: versions)
        let ids: [String?] = found.map { $0?.id }
        #expect(ids == ["grp_1", nil, "grp_3", nil])
        let written = found.compactMap { $0 }.allSatisfy { $0.hasWireForm }
        #expect(written)
        let stale = cache.generation
        cache.invalidate(CommittedChanges(tenantChanged: false, resourceIds: ["grp_5"]))
        cache.keep([resource(5)], generation: stale)
        #expect(cache.resource("grp_5") == nil, "a page read before a commit is not kept")
    }

    @Test func capacityZeroKeepsNothing() {
        let cache = ReadCache(capacity: 0)
        cache.keep(resource(1), generation: cache.generation)
        #expect(cache.resource("grp_1") == nil)
    }

    @Test func aReadThatRacedACommitIsNotKept() {
        let cache = ReadCache(capacity: 64)
        let before = cache.generation
        cache.invalidate(CommittedChanges(tenantChanged: false, resourceIds: ["grp_9"]))
        cache.keep(resource(1), generation: before)
        #expect(cache.resource("grp_1") == nil)
    }
}
