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

    /// The value the bytes hold, parsed again (for the rare reader of a raw value's members).
    public var value: JSONValue {
        // The bytes were written by JSONWriter, so they parse.
        (try? JSONParser.parse(bytes, configuration: .init(maximumDepth: 10_000))) ?? .null
    }
}
