/// The `PARLEY_TLS_*` environment variables, shared by the CLI, the Swift client and the Python client.
extension ClientTLS {
    /// `PARLEY_TLS` (`1`/`true`/`yes`: TLS with the system's trust store), `PARLEY_TLS_CA`,
    /// `PARLEY_TLS_SERVER_NAME`, `PARLEY_TLS_CERT`, `PARLEY_TLS_KEY`; any of the last four also
    /// turns TLS on. Nil when none is set.
    public static func fromEnvironment(_ environment: [String: String]) -> ClientTLS? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let enabled = value("PARLEY_TLS").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? false
        let options = ClientTLS(
            trustRoots: value("PARLEY_TLS_CA"), serverName: value("PARLEY_TLS_SERVER_NAME"),
            certificateChain: value("PARLEY_TLS_CERT"), privateKey: value("PARLEY_TLS_KEY"))
        let any = options.trustRoots != nil || options.serverName != nil || options.certificateChain != nil || options.privateKey != nil
        return enabled || any ? options : nil
    }
}
