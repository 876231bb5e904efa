import ParleyModel
import Testing

/// A value carried as its written bytes is the value they hold, and a stored object's wire form
/// never outlives a change to the object.
@Suite struct RawJSONTests {
    private let tree: JSONValue = ["name": "Sales", "queue_size": 7, "tags": ["a", "b"], "note": .null, "ratio": 0.5]

    @Test func aRawValueIsWrittenAsItsBytesAndEqualsItsTree() {
        let raw = JSONValue.raw(RawJSON(tree))
        #expect(JSONWriter.bytes(raw) == JSONWriter.bytes(tree))
        #expect(JSONWriter.bytes(["items": [raw, raw]]) == JSONWriter.bytes(["items": [tree, tree]]))
        #expect(JSONWriter.prettyString(raw) == JSONWriter.prettyString(tree))
        #expect(raw == tree && tree == raw)
        #expect(raw.hashValue == tree.hashValue)
        #expect(raw != JSONValue.raw(RawJSON(["name": "Support"])))
        #expect(raw["queue_size"]?.intValue == 7)
        #expect(raw["tags"]?[1]?.stringValue == "b")
        #expect(raw.typeName == "object")
        #expect(JSONValue.raw(RawJSON(.null)).isNull)
    }

    @Test func aChangedObjectDropsItsWireForm() {
        let stamp = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        let stored = StoredResource(
            kind: .group, id: "grp_1", tenantId: "ten_1", fields: ["name": "Sales", "queue_size": 7], revision: 3,
            createdAt: stamp, updatedAt: stamp
        ).withWireForm()
        #expect(stored.hasWireForm)
        guard case .raw = stored.wireJSON else { Issue.record("no wire form kept"); return }
        #expect(stored.wireJSON == stored.json)
        for change in [
            { (object: inout StoredResource) in object.fields["queue_size"] = 8 },
            { (object: inout StoredResource) in object.revision = 4 },
            { (object: inout StoredResource) in object.state["status"] = "APPROVED" },
            { (object: inout StoredResource) in object.updatedAt = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000) },
        ] {
            var changed = stored
            change(&changed)
            #expect(!changed.hasWireForm)
            #expect(JSONWriter.bytes(changed.wireJSON) == JSONWriter.bytes(changed.json))
            #expect(changed.wireJSON != stored.wireJSON)
        }
        // The wire form is not part of what the object is.
        #expect(
            stored
                == StoredResource(
                    kind: .group, id: "grp_1", tenantId: "ten_1", fields: ["name": "Sales", "queue_size": 7], revision: 3,
                    createdAt: stamp, updatedAt: stamp))
    }

    @Test func anObjectWrittenFromSortedMembersIsTheObjectsBytes() {
        let members: KeyValuePairs<String, JSONValue> = ["a": 1, "b": .raw(RawJSON(tree)), "c": ["x", .null], "d": "é\n"]
        let written = RawJSON(sortedMembers: members, capacity: 4)
        let tree = JSONValue.object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) }))
        #expect(written.bytes == JSONWriter.bytes(tree))
        #expect(RawJSON(sortedMembers: [:]).bytes == Array("{}".utf8))
        // A raw value is written as its own bytes, not copied into new ones.
        #expect(JSONWriter.bytes(.raw(written)) == written.bytes)
    }

    @Test func theWireFormIsTheBytesOfTheObjectsJSONWhateverItsMembersAreNamed() {
        let stamp = Timestamp(millisecondsSinceEpoch: 1_700_000_000_123)
        let plain = StoredResource(
            kind: .group, id: "grp_1", tenantId: "ten_1", fields: ["name": "Sales", "queue_size": 7, "zeta": ["a": 1]], revision: 3,
            createdAt: stamp, updatedAt: stamp)
        // A field or state member named like the bookkeeping, and state over a field of its name.
        let clashing = StoredResource(
            kind: .template, id: "tpl_1", tenantId: "ten_1", fields: ["id": "mine", "status": "DRAFT", "body": "é"],
            state: ["status": "APPROVED", "revision": 99, "quality": .null], revision: 4, createdAt: stamp, updatedAt: stamp)
        for resource in [plain, clashing] {
            #expect(JSONWriter.bytes(resource.wireJSON) == JSONWriter.bytes(resource.json))
            #expect(JSONWriter.bytes(resource.withWireForm().wireJSON) == JSONWriter.bytes(resource.json))
        }
        #expect(clashing.wireJSON["id"] == "tpl_1" && clashing.wireJSON["status"] == "APPROVED" && clashing.wireJSON["revision"] == 4)
    }
}
