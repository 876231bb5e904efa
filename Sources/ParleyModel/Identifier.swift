import Synchronization

/// Makes opaque, time-ordered identifiers: a type prefix, then 10 characters of millisecond time and
/// 16 random characters in Crockford base32 (`tnt_01JD8X3Q4N7Z2K5M8P0R3S6T9V`).
///
/// Sorting ids sorts by creation time, which gives lists a stable order for cursors. Within one
/// process this holds even for ids made in the same millisecond (ULID's monotonic rule): the next
/// id keeps the last one's time and adds one to its random part. Across processes (replicas on
/// one PostgreSQL database) ids of the same millisecond sort in no particular order.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    /// The 80 bits of the random part.
    private static let randomLimit: UInt128 = 1 << 80
    /// The last id made by ``make(prefix:at:)``: its time and random part.
    private static let last = Mutex<(time: UInt64, random: UInt128)>((0, 0))

    /// A new id with `prefix` (e.g. `tnt`) created at `time`, after every id made before it in this process.
    public static func make(prefix: String, at time: Timestamp) -> String {
        let wanted = UInt64(max(0, time.millisecondsSinceEpoch))
        let (clock, random) = last.withLock { last -> (UInt64, UInt128) in
            var generator = SystemRandomNumberGenerator()
            if wanted > last.time {
                last = (wanted, randomPart(&generator))
            } else if last.random + 1 < randomLimit {
                last.random += 1
            } else {
                last = (last.time + 1, randomPart(&generator))
            }
            return last
        }
        return encode(prefix: prefix, clock: clock, random: random)
    }

    /// A new id drawing its random part from `generator` (not ordered against other ids of the same millisecond).
    public static func make(prefix: String, at time: Timestamp, using generator: inout some RandomNumberGenerator) -> String {
        encode(prefix: prefix, clock: UInt64(max(0, time.millisecondsSinceEpoch)), random: randomPart(&generator))
    }

    /// 80 random bits: 64 and 16.
    private static func randomPart(_ generator: inout some RandomNumberGenerator) -> UInt128 {
        UInt128(generator.next() as UInt64) << 16 | UInt128(generator.next() as UInt16)
    }

    /// Both parts most significant character first, so that the text sorts as the numbers do.
    private static func encode(prefix: String, clock: UInt64, random: UInt128) -> String {
        var characters = [UInt8](repeating: 0, count: 26)
        var clock = clock
        for position in stride(from: 9, through: 0, by: -1) {
            characters[position] = alphabet[Int(clock & 31)]
            clock >>= 5
        }
        var random = random
        for position in stride(from: 25, through: 10, by: -1) {
            characters[position] = alphabet[Int(random & 31)]
            random >>= 5
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }

    /// Whether `text` has the shape of an id with `prefix` (used to reject junk cursors early).
    public static func isWellFormed(_ text: String, prefix: String) -> Bool {
        let expected = prefix + "_"
        guard text.hasPrefix(expected) else { return false }
        let body = text.utf8.dropFirst(expected.utf8.count)
        return body.count == 26 && body.allSatisfy { alphabet.contains($0) }
    }
}
