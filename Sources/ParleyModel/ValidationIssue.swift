/// One problem found in the input, located by a dotted path ("name", "profile.email", "buttons[2].text").
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, relative to the params object.
    public var path: String
    /// What is wrong, in words for humans.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// The wire form `{"path": ..., "message": ...}`.
    public var json: JSONValue { ["path": .string(path), "message": .string(message)] }
}
