import Foundation
import ParleyModel
import ParleyProtocol
import ParleyTesting
import Testing

/// TLS through the built binaries: `parleyd serve --tls-*` with SIGHUP reloads, the plaintext
/// refusals of `parleyd` and `parley`, and the CLI's TLS flags and environment (issue 12).
@Suite(.serialized) struct TLSCLITests {
    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-tls-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The serial of the certificate a TLS client gets from `port` now (through `openssl s_client`).
    private func servedSerial(port: Int, ca: String) throws -> String {
        let script = "openssl s_client -connect 127.0.0.1:\(port) -CAfile \(ca) -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -serial"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.replacingOccurrences(of: "serial=", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func plaintextOnANonLoopbackAddressIsRefusedAtStart() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = try await BuiltBinaries.run(
            "parleyd", ["serve", "--db", directory.appendingPathComponent("p.db").path, "--listen", "0.0.0.0:0"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--tls-cert FILE --tls-key FILE"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-plaintext"))
    }

    @Test func theCLISpeaksTLSAndRefusesToSendAKeyInPlaintextOffLoopback() async throws {
        let directory = try scratch()
        let certificates = try TestCertificates.make()
        defer {
            try? FileManager.default.removeItem(at: directory)
            certificates.remove()
        }
        let database = directory.appendingPathComponent("parley.db").path
        let key = try await BuiltBinaries.run("parleyd", ["init", "--db", database]).stdout.trimmingCharacters(in: .newlines)
        let daemon = try await BuiltBinaries.Daemon(
            database: database, directory: directory,
            arguments: ["--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey])
        let server = "127.0.0.1:\(daemon.port)"
        let withFlags = try await BuiltBinaries.run(
            "parley", ["--tls-ca", certificates.caCertificate, "tenants", "list"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key])
        #expect(withFlags.status == 0, "\(withFlags.stderr)")
        let fromEnvironment = try await BuiltBinaries.run(
            "parley", ["tenants", "list"],
            environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key, "PARLEY_TLS_CA": certificates.caCertificate])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
        let untrusted = try await BuiltBinaries.run(
            "parley", ["--tls", "ping"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key])
        #expect(untrusted.status == 8, "the system store does not trust the test CA: \(untrusted.stderr)")
        #expect(untrusted.stderr.contains("TLS handshake"), "\(untrusted.stderr)")
        let wrongCA = try await BuiltBinaries.run(
            "parley", ["--tls-ca", certificates.strangerCA, "ping"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key])
        #expect(wrongCA.status == 8, "\(wrongCA.stderr)")
        #expect(wrongCA.stderr.contains("refused"), "\(wrongCA.stderr)")
        let plaintext = try await BuiltBinaries.run("parley", ["tenants", "list"], environment: ["PARLEY_SERVER": server, "PARLEY_API_KEY": key])
        #expect(plaintext.status != 0, "plaintext against a TLS listener fails")
        // Off loopback, the CLI refuses before connecting (192.0.2.1 is a documentation address).
        let offLoopback = try await BuiltBinaries.run(
            "parley", ["tenants", "list"], environment: ["PARLEY_SERVER": "192.0.2.1:7411", "PARLEY_API_KEY": key])
        #expect(offLoopback.status == 64)
        #expect(offLoopback.stderr.contains("pass --tls"), "\(offLoopback.stderr)")
        #expect(try await daemon.stop() == 0)
    }

    @Test func sighupReloadsTheCertificateAndABadPairKeepsTheOld() async throws {
        let directory = try scratch()
        let certificates = try TestCertificates.make()
        defer {
            try? FileManager.default.removeItem(at: directory)
            certificates.remove()
        }
        let database = directory.appendingPathComponent("parley.db").path
        _ = try await BuiltBinaries.run("parleyd", ["init", "--db", database])
        let daemon = try await BuiltBinaries.Daemon(
            database: database, directory: directory,
            arguments: ["--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey])
        let first = try servedSerial(port: daemon.port, ca: certificates.caCertificate)
        #expect(!first.isEmpty)
        let renewed = try certificates.renewServerCertificate()
        #expect(renewed != first)
        daemon.signal(SIGHUP)
        var served = first
        for _ in 0..<50 where served != renewed {
            try await Task.sleep(for: .milliseconds(100))
            served = try servedSerial(port: daemon.port, ca: certificates.caCertificate)
        }
        #expect(served == renewed, "new connections get the new certificate")
        try "not a key".write(toFile: certificates.serverKey, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        var logged = false
        for _ in 0..<50 where !logged {
            try await Task.sleep(for: .milliseconds(100))
            logged = daemon.log.contains("TLS reload failed")
        }
        #expect(logged, "\(daemon.log)")
        #expect(try servedSerial(port: daemon.port, ca: certificates.caCertificate) == renewed, "the old pair stays in force")
        #expect(try await daemon.stop() == 0)
    }
}
