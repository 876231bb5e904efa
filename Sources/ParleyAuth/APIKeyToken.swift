/// The text a user holds: `prly_<key id>_<secret>`.
///
/// The key id (16 base62 characters) is public and indexed; the secret (43 base62 characters,
/// 32 bytes from the system CSPRNG) is known only to the holder. `description` never prints the
/// secret, so a token that reaches a log by mistake leaks nothing.
public struct APIKeyToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let prefix = "prly_"
    static let keyIDLength = 16
    static let secretLength = 43

    /// The public key id.
    public let keyID: String
    /// The secret part.
    public let secret: String

    /// The full token, to be shown to the user exactly once.
    public var text: String { Self.prefix + keyID + "_" + secret }

    public var description: String { Self.prefix + keyID + "_<redacted>" }

    public var debugDescription: String { description }

    /// A new token with a fresh key id and secret from the system CSPRNG.
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<11).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return APIKeyToken(
            keyID: Base62.encode(idBytes, width: keyIDLength),
            secret: Base62.encode(secretBytes, width: secretLength))
    }

    init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
    }

    /// Whether `text` has the shape of a key id (16 base62 characters).
    public static func isKeyID(_ text: String) -> Bool {
        text.utf8.count == keyIDLength && text.utf8.allSatisfy(Base62.isDigit)
    }

    /// Parses a token; nil unless it has exactly the shape `prly_` + 16 + `_` + 43 base62 characters.
    public init?(parsing text: String) {
        guard text.utf8.count == Self.prefix.utf8.count + Self.keyIDLength + 1 + Self.secretLength,
            text.hasPrefix(Self.prefix)
        else { return nil }
        let body = Array(text.utf8.dropFirst(Self.prefix.utf8.count))
        guard body[Self.keyIDLength] == UInt8(ascii: "_") else { return nil }
        let id = body[..<Self.keyIDLength]
        let secret = body[(Self.keyIDLength + 1)...]
        guard id.allSatisfy(Base62.isDigit), secret.allSatisfy(Base62.isDigit) else { return nil }
        self.init(keyID: String(decoding: id, as: UTF8.self), secret: String(decoding: secret, as: UTF8.self))
    }
}
