import NIOCore
import ParleyClient
import ParleyModel
import ParleyServer
import ParleyTLS
import ParleyTesting
import Testing

/// TLS on the listener, over real TCP, with certificates made by the test (issue 12).
@Suite(.serialized) struct TLSTests {
    let certificates: TestCertificates

    init() throws {
        certificates = try TestCertificates.make()
    }

    /// A server speaking TLS with the server certificate (or `chain`/`key`), optionally requiring client certificates.
    private func withTLSServer<Result>(
        chain: String? = nil, key: String? = nil, clientCA: String? = nil, handshakeTimeout: TimeAmount = .seconds(10),
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let tls = try ServerTLS(
            files: .init(
                certificateChain: chain ?? certificates.serverCertificate, privateKey: key ?? certificates.serverKey, clientCA: clientCA))
        return try await TestServer.with(
            configure: {
                $0.tls = tls
                $0.tlsHandshakeTimeout = handshakeTimeout
            }, body)
    }

    private func client(_ port: Int, trust: String? = nil, name: String? = nil, certificate: String? = nil, key: String? = nil) async throws -> Client {
        let tls = try PreparedClientTLS(
            ClientTLS(
                trustRoots: trust ?? certificates.caCertificate, serverName: name, certificateChain: certificate, privateKey: key))
        return try await Client.connect(host: "127.0.0.1", port: port, tls: tls)
    }

    /// The connect fails with a TLS handshake error whose text mentions `expected` (any, when nil).
    private func expectHandshakeFailure(_ expected: String? = nil, _ connect: () async throws -> Client) async {
        do {
            let client = try await connect()
            // With TLS 1.3 a client certificate refused by the server shows on the first read.
            do {
                _ = try await client.call("ping")
                Issue.record("the TLS connection should have failed")
            } catch {}
            await client.close()
        } catch let error as ParleyClientError {
            guard case .tlsHandshakeFailed(let detail) = error else {
                Issue.record("expected a TLS handshake failure, got \(error)")
                return
            }
            if let expected { #expect(detail.contains(expected), "\(detail)") }
        } catch {
            Issue.record("expected a TLS handshake failure, got \(error)")
        }
    }

    @Test func handshakeAndHelloSucceedByAddressAndByName() async throws {
        defer { certificates.remove() }
        try await withTLSServer { server in
            let byAddress = try await client(server.port)
            let hello = try await byAddress.hello(apiKey: server.adminKey)
            #expect(hello["key"]?["role"] == "ADMIN")
            #expect(try await byAddress.call("tenants.list")["items"] == [])
            await byAddress.close()
            let byName = try await client(server.port, name: "localhost")
            #expect(try await byName.call("ping") == [:])
            await byName.close()
        }
    }

    @Test func theClientRefusesAnUntrustedAWrongNameAndAnExpiredCertificate() async throws {
        defer { certificates.remove() }
        try await withTLSServer { server in
            await expectHandshakeFailure("not issued by a CA this client trusts") { try await client(server.port, trust: certificates.strangerCA) }
            let unharmed = try await client(server.port)
            #expect(try await unharmed.call("ping") == [:], "the server is unharmed")
            await unharmed.close()
        }
        try await withTLSServer(chain: certificates.otherNameCertificate, key: certificates.otherNameKey) { server in
            await expectHandshakeFailure("not valid for this name") { try await client(server.port) }
            await expectHandshakeFailure("not valid for this name") { try await client(server.port, name: "localhost") }
            let byOtherName = try await client(server.port, name: "other.example")
            #expect(try await byOtherName.call("ping") == [:])
            await byOtherName.close()
        }
        try await withTLSServer(chain: certificates.expiredCertificate, key: certificates.expiredKey) { server in
            await expectHandshakeFailure("has expired") { try await client(server.port) }
        }
    }

    @Test func mutualTLSRefusesAMissingOrUntrustedClientCertificate() async throws {
        defer { certificates.remove() }
        try await withTLSServer(clientCA: certificates.caCertificate) { server in
            await expectHandshakeFailure { try await client(server.port) }
            await expectHandshakeFailure {
                try await client(server.port, certificate: certificates.strangerClientCertificate, key: certificates.strangerClientKey)
            }
            let trusted = try await client(server.port, certificate: certificates.clientCertificate, key: certificates.clientKey)
            #expect(try await trusted.hello(apiKey: server.adminKey)["key"]?["role"] == "ADMIN", "the API key is still required and checked")
            await trusted.close()
        }
    }

    @Test func plaintextGarbageAndStalledHandshakesAreClosedWithinTheTimeout() async throws {
        defer { certificates.remove() }
        try await withTLSServer(handshakeTimeout: .milliseconds(500)) { server in
            let plaintext = try await RawConnection.connect(port: server.port)
            try await plaintext.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
            #expect(await plaintext.waitForClose(timeout: .seconds(5)), "a plaintext client is closed")
            let garbage = try await RawConnection.connect(port: server.port)
            try await garbage.send(Array(repeating: 0x16, count: 5) + Array("not a client hello at all".utf8))
            #expect(await garbage.waitForClose(timeout: .seconds(5)))
            let stalled = try await RawConnection.connect(port: server.port)
            let started = ContinuousClock.now
            #expect(await stalled.waitForClose(timeout: .seconds(5)), "a handshake that never starts is closed")
            #expect(ContinuousClock.now - started < .seconds(3))
            let good = try await client(server.port)
            #expect(try await good.call("ping") == [:], "and the server goes on")
            await good.close()
        }
    }

    @Test func aReloadServesTheNewPairToNewConnectionsAndAFailedOneKeepsTheOld() async throws {
        defer { certificates.remove() }
        let tls = try ServerTLS(files: .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey))
        try await TestServer.with(configure: { $0.tls = tls }) { server in
            let live = try await client(server.port)
            try await live.hello(apiKey: server.adminKey)
            _ = try certificates.renewServerCertificate()
            try tls.reload()
            #expect(try await live.call("ping") == [:], "a live connection keeps its session")
            #expect(try await client(server.port).call("ping") == [:], "new connections verify the new certificate")
            try "not a key".write(toFile: certificates.serverKey, atomically: true, encoding: .utf8)
            #expect(throws: TLSSetupError.self) { try tls.reload() }
            #expect(try await client(server.port).call("ping") == [:], "a pair that does not load leaves the old one in force")
            await live.close()
        }
    }

    @Test func unreadableFilesAndAMismatchedKeyAreClearErrors() throws {
        defer { certificates.remove() }
        #expect(throws: TLSSetupError.self) {
            try ServerTLS(files: .init(certificateChain: "/nonexistent.pem", privateKey: certificates.serverKey))
        }
        do {
            _ = try ServerTLS(files: .init(certificateChain: certificates.serverCertificate, privateKey: certificates.clientKey))
            Issue.record("a key of another certificate must be refused")
        } catch let error as TLSSetupError {
            #expect(error.code == .keyDoesNotMatch)
            #expect(error.description.contains(certificates.clientKey))
        }
    }
}
