import Foundation

/// Throwaway certificates for TLS tests, made by the `openssl` command in a temporary directory
/// (never committed): a CA; server certificates for 127.0.0.1 and localhost, for another name,
/// and an expired one; a client certificate; and a second CA with a client certificate of its own,
/// which the first CA does not trust. Keys are P-256, unencrypted, mode 0600.
public struct TestCertificates: Sendable {
    /// The directory holding every file; remove it with ``remove()``.
    public let directory: URL

    public var caCertificate: String { path("ca.pem") }
    public var serverCertificate: String { path("server.pem") }
    public var serverKey: String { path("server.key") }
    /// Valid, from the same CA, but for `other.example` only.
    public var otherNameCertificate: String { path("other.pem") }
    public var otherNameKey: String { path("other.key") }
    /// For 127.0.0.1 and localhost, from the same CA, expired in 2020.
    public var expiredCertificate: String { path("expired.pem") }
    public var expiredKey: String { path("expired.key") }
    public var clientCertificate: String { path("client.pem") }
    public var clientKey: String { path("client.key") }
    /// A CA the server does not trust, and a client certificate it issued.
    public var strangerCA: String { path("stranger-ca.pem") }
    public var strangerClientCertificate: String { path("stranger-client.pem") }
    public var strangerClientKey: String { path("stranger-client.key") }

    /// Makes all of them (a few hundred milliseconds).
    public static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        try certificates.makeCA("ca", subject: "Parley Test CA")
        try certificates.makeCA("stranger-ca", subject: "Stranger CA")
        try certificates.issue("server", by: "ca", subject: "localhost", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
        try certificates.issue("other", by: "ca", subject: "other.example", extensions: "subjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth")
        try certificates.issue("client", by: "ca", subject: "parley test client", extensions: "extendedKeyUsage=clientAuth")
        try certificates.issue("stranger-client", by: "stranger-ca", subject: "stranger", extensions: "extendedKeyUsage=clientAuth")
        try certificates.issueExpired("expired", by: "ca")
        return certificates
    }

    /// Replaces the server certificate and key with a fresh pair (for reload tests); returns the new certificate's serial.
    public func renewServerCertificate() throws -> String {
        try issue("server", by: "ca", subject: "localhost", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
        return try serial(of: serverCertificate)
    }

    /// The serial number of the certificate at `path` (hex, as openssl prints it).
    public func serial(of path: String) throws -> String {
        try Self.openssl(["x509", "-in", path, "-noout", "-serial"]).replacingOccurrences(of: "serial=", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func makeCA(_ name: String, subject: String) throws {
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).pem"), "-days", "2", "-subj", "/CN=\(subject)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func issue(_ name: String, by ca: String, subject: String, extensions: String) throws {
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).csr"), "-subj", "/CN=\(subject)",
        ])
        try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try Self.openssl([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"), "-set_serial",
            "0x\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16))", "-out", path("\(name).pem"), "-days", "2",
            "-extfile", path("\(name).ext"),
        ])
    }

    /// `openssl x509` cannot back-date a certificate in OpenSSL 3.0; `openssl ca` can.
    private func issueExpired(_ name: String, by ca: String) throws {
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).csr"), "-subj", "/CN=localhost",
        ])
        let database = path("\(name).index")
        _ = FileManager.default.createFile(atPath: database, contents: nil)
        try "01\n".write(toFile: path("\(name).serial"), atomically: true, encoding: .utf8)
        let config = """
            [ca]
            default_ca = test
            [test]
            database = \(database)
            serial = \(path("\(name).serial"))
            new_certs_dir = \(directory.path)
            default_md = sha256
            policy = any
            copy_extensions = none
            x509_extensions = server
            [any]
            commonName = supplied
            [server]
            subjectAltName = IP:127.0.0.1,DNS:localhost
            extendedKeyUsage = serverAuth
            """
        try config.write(toFile: path("\(name).cnf"), atomically: true, encoding: .utf8)
        try Self.openssl([
            "ca", "-batch", "-config", path("\(name).cnf"), "-cert", path("\(ca).pem"), "-keyfile", path("\(ca).key"),
            "-in", path("\(name).csr"), "-out", path("\(name).pem"), "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
            "-notext",
        ])
    }

    @discardableResult
    static func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.first ?? "") failed: \(String(decoding: complaint, as: UTF8.self))")
        }
        return String(decoding: printed, as: UTF8.self)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
