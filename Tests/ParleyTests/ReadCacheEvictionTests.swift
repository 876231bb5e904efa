import ParleyModel
@testable import ParleyStore
import Testing

/// The in-memory tier on its own: bounded, evicting by eighths, and off at capacity 0.
@Suite struct ReadCacheEvictionTests {
    private func resource(_ number: Int) -> StoredResource {
        StoredResource(
            kind: .group, id: "grp_\(number)", tenantId: "tnt_1", fields: ["name": .string("g\(number)")], state: [:],
            revision: 1, createdAt: Timestamp(millisecondsSinceEpoch: 0), updatedAt: Timestamp(millisecondsSinceEpoch: 0))
    }

    @Test func aFullCacheDropsAnEighthAndKeepsTheNewest() {
        let cache = ReadCache(capacity: 64)
        for number in 0..<200 { cache.keep(resource(number), generation: cache.generation) }
        let kept = (0..<200).filter { cache.resource("grp_\($0)") != nil }
        #expect(kept.count <= 64 && kept.count >= 64 - 8, "bounded, and never emptied at once")
        #expect(cache.resource("grp_199") != nil, "the newest is kept")
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
