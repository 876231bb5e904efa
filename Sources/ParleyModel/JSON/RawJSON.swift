/// JSON already written by ``JSONWriter``, carried as its bytes so that a response can splice
/// it in without building and writing the tree again (as Go's `json.RawMessage` or serde's
/// `RawValue`). Made only from a ``JSONValue``, so the bytes are always compact, canonical JSON.
///
/// Shaped for speed: the read cache keeps each object's wire form, and `*.get` and `*.list`
/// answer with it; building and writing the tree was a sixth of the server's CPU per cached read.
public struct RawJSON: Sendable {
    /// The compact UTF-8 JSON text.
    public let bytes: [UInt8]

    /// The canonical bytes of `value` (a raw value inside it is copied as is).
    public init(_ value: JSONValue) {
        bytes = JSONWriter.bytes(value)
    }

    /// The canonical bytes of an object with these members, given in sorted order and each
    /// name once (as `init(.object(...))`, without building the dictionary); `capacity` is a
    /// guess of the size, so that the bytes are not reallocated as they grow.
    public init(sortedMembers members: KeyValuePairs<String, JSONValue>, capacity: Int = 128) {
        self.init(writing: members, capacity: capacity)
    }

    /// As ``init(sortedMembers:capacity:)``, from members collected at run time.
    public init(sortedMembers members: [(key: String, value: JSONValue)], capacity: Int = 128) {
        self.init(writing: members, capacity: capacity)
    }

    private init(writing members: some Sequence<(key: String, value: JSONValue)>, capacity: Int) {
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        JSONWriter.writeObject(sortedMembers: members, into: &output)
        bytes = output
    }

    /// The value the bytes hold, parsed again (for the rare reader of a raw value's members).
    public var value: JSONValue {
        // The bytes were written by JSONWriter, so they parse.
        (try? JSONParser.parse(bytes, configuration: .init(maximumDepth: 10_000))) ?? .null
    }
}
