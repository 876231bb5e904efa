/// Where plaintext never leaves the machine: the one rule for refusing plaintext off loopback
/// (`parleyd serve`, `parley`) and for PostgreSQL's default `sslmode`.
public enum Loopback {
    /// Whether `host` is `localhost` or a loopback address (`127.x.y.z`, `::1`, with or without brackets).
    public static func contains(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") && bare.split(separator: ".").count == 4
    }
}
