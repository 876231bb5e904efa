import Foundation

/// Local wall-clock time of one IANA zone, and the instants it stands for across
/// daylight-saving changes.
///
/// - A wall time that does not exist (the hour skipped when clocks go forward: 02:30 on
///   2026-03-29 in Europe/Prague) stands for the instant the clocks jump (03:00 CEST): an
///   interval opening in the gap opens when it ends, one closing in it closes then.
/// - A wall time that exists twice (the hour repeated when clocks go back: 02:30 on
///   2026-10-25 in Europe/Prague) stands for its first occurrence (02:30 CEST).
public struct WallClock: Sendable {
    public let zone: TimeZone

    /// The clock of `identifier`, or nil when the zone is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    /// The zone's offset from UTC in seconds at `seconds` after the epoch.
    public func offset(atSecond seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    /// The local wall time at `seconds` after the epoch, as seconds after the local epoch.
    public func local(atSecond seconds: Int64) -> Int64 {
        seconds + offset(atSecond: seconds)
    }

    /// The instant (seconds after the epoch) that local wall time `wall` (seconds after the
    /// local epoch) stands for, by the rules above.
    public func instant(ofLocal wall: Int64) -> Int64 {
        let before = offset(atSecond: wall - 86_400), after = offset(atSecond: wall + 86_400)
        let candidates = [wall - before, wall - after].filter { local(atSecond: $0) == wall }
        if let first = candidates.min() { return first }
        // In a gap: the first instant whose wall time is at or after `wall` (the jump).
        var low = min(wall - before, wall - after), high = max(wall - before, wall - after)
        while low < high {
            let middle = low + (high - low) / 2
            if local(atSecond: middle) >= wall { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The wall time with its offset, RFC 3339 (`2026-03-29T03:00:00+02:00`).
    public func rfc3339(atSecond seconds: Int64) -> String {
        let offset = offset(atSecond: seconds)
        let wall = Timestamp(millisecondsSinceEpoch: (seconds + offset) * 1000).rfc3339.prefix(19)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(wall)\(sign)\(BusinessInterval.text(Int(minutes)))"
    }
}
