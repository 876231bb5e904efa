import Foundation
import ParleyModel
import ParleySQLite
import ParleyStore
import Testing

@testable import ParleyAuth

@Suite struct AuthTests {
    @Test func tokensHaveTheDocumentedShapeAndRoundTrip() throws {
        for _ in 0..<200 {
            let token = APIKeyToken.generate()
            #expect(token.text.utf8.count == 65)
            #expect(token.text.hasPrefix("prly_"))
            #expect(APIKeyToken(parsing: token.text) == token)
        }
        #expect(APIKeyToken.generate() != APIKeyToken.generate())
    }

    @Test func tokenDescriptionNeverShowsTheSecret() {
        let token = APIKeyToken.generate()
        #expect(!"\(token)".contains(token.secret))
        #expect(!String(reflecting: token).contains(token.secret))
        #expect(!"\([token])".contains(token.secret), "collections print elements with debugDescription")
    }

    @Test(arguments: [
        "", "prly_", "prlx_0123456789abcdef_" + String(repeating: "a", count: 43),
        "prly_0123456789abcde!_" + String(repeating: "a", count: 43),
        "prly_0123456789abcdef-" + String(repeating: "a", count: 43),
        "prly_0123456789abcdef_" + String(repeating: "a", count: 44),
    ])
    func malformedTokensAreRefused(_ text: String) {
        #expect(APIKeyToken(parsing: text) == nil)
    }

    @Test func argon2HashesVerifyAndUseAtLeastTheStandardCost() throws {
        let hash = try Argon2.hash("correct horse")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(try Argon2.verify("correct horse", against: hash))
        #expect(try !Argon2.verify("wrong horse", against: hash))
    }

    @Test func hashesWithParametersOutOfBoundsAreRefusedWithoutRunning() throws {
        let bomb = "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        #expect(throws: Argon2.Failure.parametersOutOfBounds) { try Argon2.verify("x", against: bomb) }
        let slow = "$argon2id$v=19$m=19456,t=1000,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        #expect(throws: Argon2.Failure.parametersOutOfBounds) { try Argon2.verify("x", against: slow) }
        #expect(throws: Argon2.Failure.malformedHash) { try Argon2.verify("x", against: "$argon2i$v=19$m=1,t=1,p=1$a$b") }
    }

    @Test func poolRefusesWorkBeyondItsQueue() async throws {
        let pool = Argon2Pool(configuration: .init(threads: 1, queueLimit: 1))
        let gate = DispatchSemaphore(value: 0)
        async let first: Void = pool.submit { gate.wait() }
        async let second: Void = pool.submit { gate.wait() }
        while pool.depth < 2 { try await Task.sleep(for: .milliseconds(1)) }
        await #expect(throws: Argon2Pool.Saturated.self) { try await pool.submit { () } }
        gate.signal()
        gate.signal()
        _ = try await (first, second)
        try await pool.shutdown()
    }

    @Test func unknownKeysAndWrongSecretsFailAlikeAndBothRunArgon2() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        let pool = Argon2Pool(configuration: .init(threads: 2, queueLimit: 8))
        let (key, token) = try await KeyIssuer(store: store, pool: pool).issue(name: "k", role: .admin, audit: .system("test"))
        let verifier = try KeyVerifier(store: store, pool: pool)
        #expect(try await verifier.verify(token.text).id == key.id)

        let before = pool.completedCount
        let wrongSecret = APIKeyToken(keyID: token.keyID, secret: APIKeyToken.generate().secret)
        await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(wrongSecret.text) }
        let unknownID = APIKeyToken.generate()
        await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(unknownID.text) }
        #expect(pool.completedCount - before == 2, "both failures must cost one argon2 verification")

        let later = Timestamp.now().adding(milliseconds: 1)
        let (_, expiring) = try await KeyIssuer(store: store, pool: pool).issue(
            name: "short", role: .admin, expiresAt: later, audit: .system("test"))
        await #expect(throws: KeyVerifier.Failure.unauthenticated) {
            try await verifier.verify(expiring.text, at: later.adding(milliseconds: 1))
        }
        try await store.close()
        try await pool.shutdown()
    }
}
