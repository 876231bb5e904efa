import Foundation
import ParleyAuth
import ParleyModel
import ParleyStore
import Testing

/// The verified-key cache and the hello throttle, counted in argon2 verifications.
@Suite struct AuthenticationCostTests {
    private func withVerifier(
        throttle: AuthThrottle = AuthThrottle(), _ body: (SQLiteStore, Argon2Pool, KeyVerifier) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("a.db").path)
        let pool = Argon2Pool(configuration: .init(threads: 2, queueLimit: 8))
        let verifier = try KeyVerifier(store: store, pool: pool, throttle: throttle)
        try await body(store, pool, verifier)
        try await store.close()
        try await pool.shutdown()
    }

    @Test func aCachedKeySkipsArgon2UntilInvalidated() async throws {
        try await withVerifier { _, pool, verifier in
            let (key, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            let start = pool.completedCount
            #expect(try await verifier.verify(token.text).id == key.id)
            #expect(pool.completedCount == start + 1, "the first hello runs argon2")
            #expect(try await verifier.verify(token.text).id == key.id)
            #expect(pool.completedCount == start + 1, "a cached key does not")
            // Same key id, wrong secret: the HMAC does not match, so argon2 decides (and refuses).
            let forged = APIKeyToken(parsing: "prly_\(token.keyID)_\(String(repeating: "A", count: 43))")!
            await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(forged.text) }
            #expect(pool.completedCount == start + 2)
            verifier.cache.invalidate(keyId: key.id)
            #expect(try await verifier.verify(token.text).id == key.id)
            #expect(pool.completedCount == start + 3, "after invalidation argon2 runs again")
        }
    }

    @Test func cachedEntriesExpire() async throws {
        try await withVerifier { _, pool, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            let now = Timestamp.now()
            _ = try await verifier.verify(token.text, at: now)
            let start = pool.completedCount
            let later = now.adding(milliseconds: verifier.cache.configuration.lifetimeMilliseconds + 1)
            _ = try await verifier.verify(token.text, at: later)
            #expect(pool.completedCount == start + 1, "an entry past its lifetime is verified again")
        }
    }

    @Test func fiveFailuresForAKeyIdThrottleItWithoutArgon2() async throws {
        try await withVerifier { _, pool, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            let wrong = APIKeyToken(parsing: "prly_\(token.keyID)_\(String(repeating: "B", count: 43))")!
            let now = Timestamp.now()
            for _ in 1...5 {
                await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(wrong.text, peer: "10.0.0.1", at: now) }
            }
            let before = pool.completedCount
            do throws(KeyVerifier.Failure) {
                _ = try await verifier.verify(token.text, peer: "10.0.0.2", at: now)
                Issue.record("a throttled key id must be refused, even with the right secret")
            } catch {
                guard case .throttled(let wait) = error else { Issue.record("unexpected \(error)"); return }
                #expect(wait > 0 && wait <= 15 * 60 * 1000)
            }
            #expect(pool.completedCount == before, "no argon2 verification may run while throttled")
            let afterWindow = now.adding(milliseconds: 15 * 60 * 1000 + 1)
            #expect(try await verifier.verify(token.text, peer: "10.0.0.2", at: afterWindow).id == token.keyID)
        }
    }

    @Test func fiveFailuresFromOneAddressThrottleIt() async throws {
        try await withVerifier { _, pool, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            for _ in 1...5 {
                await #expect(throws: KeyVerifier.Failure.unauthenticated) {
                    try await verifier.verify(APIKeyToken.generate().text, peer: "192.0.2.7")
                }
            }
            let before = pool.completedCount
            do throws(KeyVerifier.Failure) {
                _ = try await verifier.verify(token.text, peer: "192.0.2.7")
                Issue.record("a throttled address must be refused")
            } catch {
                guard case .throttled = error else { Issue.record("expected throttling, got \(error)"); return }
            }
            #expect(pool.completedCount == before)
            #expect(try await verifier.verify(token.text, peer: "192.0.2.8").id == token.keyID, "other addresses are unaffected")
        }
    }

    @Test func throttlingCanBeTurnedOff() async throws {
        try await withVerifier(throttle: AuthThrottle(configuration: .init(maximumFailures: 0))) { _, _, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            for _ in 1...8 {
                await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(APIKeyToken.generate().text, peer: "p") }
            }
            #expect(try await verifier.verify(token.text, peer: "p").id == token.keyID)
        }
    }
}
