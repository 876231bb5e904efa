import CArgon2

/// argon2id hashing and verification through libargon2. Both calls are CPU- and memory-heavy
/// (about 20 ms and 19 MiB each): run them only on ``Argon2Pool``, never on an event loop.
public enum Argon2 {
    /// Cost parameters of a hash.
    public struct Parameters: Sendable, Hashable {
        /// Memory in KiB.
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32

        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// OWASP's argon2id minimum: m=19456 KiB, t=2, p=1.
        public static let standard = Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)

        /// Whether a stored hash with these parameters may be verified: at least the standard
        /// cost, at most m=64 MiB, t=10, p=4, so a tampered row cannot become a memory bomb.
        public var isWithinVerificationBounds: Bool {
            (Self.standard.memoryKiB...65_536).contains(memoryKiB) && (1...10).contains(iterations)
                && (1...4).contains(parallelism)
        }
    }

    /// Failures of the library calls.
    public enum Failure: Error, Sendable, Equatable {
        case library(code: Int32)
        case malformedHash
        case parametersOutOfBounds
    }

    /// The argon2id encoded hash of `secret` with a fresh 16-byte random salt and a 32-byte tag.
    public static func hash(_ secret: String, parameters: Parameters = .standard) throws(Failure) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let password = Array(secret.utf8)
        let length = argon2_encodedlen(parameters.iterations, parameters.memoryKiB, parameters.parallelism, 16, 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let code = argon2id_hash_encoded(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, password, password.count, salt, salt.count,
            32, &encoded, encoded.count)
        guard code == ARGON2_OK.rawValue else { throw .library(code: code) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `secret` matches `encoded`. Refuses hashes whose parameters are out of bounds
    /// (``Failure/parametersOutOfBounds``) without running them.
    public static func verify(_ secret: String, against encoded: String) throws(Failure) -> Bool {
        guard let parameters = parameters(of: encoded) else { throw .malformedHash }
        guard parameters.isWithinVerificationBounds else { throw .parametersOutOfBounds }
        let password = Array(secret.utf8)
        let code = encoded.withCString { argon2id_verify($0, password, password.count) }
        switch code {
        case ARGON2_OK.rawValue: return true
        case ARGON2_VERIFY_MISMATCH.rawValue: return false
        case ARGON2_DECODING_FAIL.rawValue: throw .malformedHash
        default: throw .library(code: code)
        }
    }

    /// The parameters of an encoded `$argon2id$v=19$m=..,t=..,p=..$salt$hash`, or nil.
    public static func parameters(of encoded: String) -> Parameters? {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == "argon2id", parts[2] == "v=19" else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in parts[3].split(separator: ",") {
            let halves = pair.split(separator: "=", maxSplits: 1)
            guard halves.count == 2, halves[1].count <= 10, let number = UInt32(halves[1]) else { return nil }
            values[halves[0]] = number
        }
        guard values.count == 3, let memory = values["m"], let iterations = values["t"], let parallelism = values["p"]
        else { return nil }
        return Parameters(memoryKiB: memory, iterations: iterations, parallelism: parallelism)
    }
}
