/// A TLS setup that cannot be used: a file that cannot be read, a key that does not fit its
/// certificate, a server name that is not one. The description names the file and the problem,
/// never key material.
public struct TLSSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; extensible like the protocol's error codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let certificateUnreadable = Code("certificate_unreadable")
        public static let privateKeyUnreadable = Code("private_key_unreadable")
        public static let trustRootsUnreadable = Code("trust_roots_unreadable")
        public static let keyDoesNotMatch = Code("key_does_not_match")
        public static let invalidServerName = Code("invalid_server_name")
        public static let incomplete = Code("incomplete")
    }

    public var code: Code
    /// The file concerned, if any.
    public var path: String?
    /// What to tell a person.
    public var message: String

    public init(_ code: Code, path: String? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
