import Foundation

/// The IANA time-zone names this machine knows (`Europe/Prague`, `UTC`, ...).
public enum TimeZones {
    private static let known: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers).union(["UTC"])

    /// Whether `name` is an IANA time-zone name.
    public static func isIANAName(_ name: String) -> Bool {
        known.contains(name)
    }
}
