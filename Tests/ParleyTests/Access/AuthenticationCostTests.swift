import Foundation
import ParleyModel
import ParleySQLite
import ParleyStore
import Synchronization
import Testing

@testable import ParleyAuth

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

    /// A burst of wrong secrets for one key id costs at most the burst in argon2 work; past it,
    /// even the right key waits (here: no refill comes, so it is refused without argon2).
    @Test func aBurstOfFailuresForAKeyIdCostsAtMostTheBurst() async throws {
        let clock = ManualClock()
        let throttle = AuthThrottle(configuration: .init(burst: 5, refillMilliseconds: 60_000, maximumWaitMilliseconds: 0), clock: clock.now)
        try await withVerifier(throttle: throttle) { _, pool, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            let wrong = APIKeyToken(parsing: "prly_\(token.keyID)_\(String(repeating: "B", count: 43))")!
            let before = pool.completedCount
            for _ in 1...8 {
                await #expect(throws: (any Error).self) { try await verifier.verify(wrong.text, peer: "10.0.0.1") }
            }
            #expect(pool.completedCount == before + 5, "three of the eight were refused before argon2")
            do throws(KeyVerifier.Failure) {
                _ = try await verifier.verify(token.text, peer: "10.0.0.2")
                Issue.record("the key id's bucket is empty and nothing refills it")
            } catch {
                guard case .throttled(let wait) = error else { Issue.record("unexpected \(error)"); return }
                #expect(wait > 0 && wait <= 60_000)
            }
            #expect(pool.completedCount == before + 5)
            clock.advance(milliseconds: 60_000)
            #expect(try await verifier.verify(token.text, peer: "10.0.0.2").id == token.keyID, "one refill later the right key gets in")
        }
    }

    /// Issue 11: five mistyped keys at a console do not lock the right key out; with the
    /// default shape (a token back every few seconds) it waits at most that long.
    @Test func mistypedKeysDelayTheRightKeyByAtMostOneRefill() async throws {
        let throttle = AuthThrottle(configuration: .init(burst: 3, refillMilliseconds: 300, maximumWaitMilliseconds: 2000))
        try await withVerifier(throttle: throttle) { _, _, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            for index in 0..<5 {
                let typo = index.isMultiple(of: 2) ? "prly_\(token.keyID)_\(String(repeating: "C", count: 43))" : "prly_typo"
                await #expect(throws: (any Error).self) { try await verifier.verify(typo, peer: "10.1.1.1") }
            }
            let started = ContinuousClock.now
            #expect(try await verifier.verify(token.text, peer: "10.1.1.1").id == token.keyID)
            #expect(ContinuousClock.now - started < .seconds(5), "one refill (0.3 s) and an argon2 run, on a loaded machine")
        }
    }

    /// Issue 11: a pool of connections saying hello at once with one valid key (nothing cached:
    /// after a restart) all get in, even beyond the burst: they wait for the verdicts in flight.
    @Test func simultaneousHellosWithValidKeysAllSucceed() async throws {
        let throttle = AuthThrottle(configuration: .init(burst: 2, refillMilliseconds: 60_000, maximumWaitMilliseconds: 10_000))
        try await withVerifier(throttle: throttle) { _, _, verifier in
            let (_, shared) = try await verifier.issuer.issue(name: "shared", role: .admin, audit: .system("test"))
            var distinct: [APIKeyToken] = []
            for index in 0..<6 { distinct.append(try await verifier.issuer.issue(name: "k\(index)", role: .admin, audit: .system("test")).token) }
            let presented = Array(repeating: shared, count: 10) + distinct
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for token in presented {
                    group.addTask { (try? await verifier.verify(token.text, peer: "10.9.9.9")) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == presented.count, "every valid key gets in, one address, burst of 2")
        }
    }

    /// A flood of bad keys from one address runs at most the burst through argon2, however many
    /// arrive at once; the rest wait for those verdicts and are then refused.
    @Test func aFloodOfBadKeysFromOneAddressCostsAtMostTheBurst() async throws {
        let throttle = AuthThrottle(configuration: .init(burst: 4, refillMilliseconds: 60_000, maximumWaitMilliseconds: 3000))
        try await withVerifier(throttle: throttle) { _, pool, verifier in
            let before = pool.completedCount
            let refused = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        do throws(KeyVerifier.Failure) {
                            _ = try await verifier.verify(APIKeyToken.generate().text, peer: "192.0.2.7")
                            return false
                        } catch {
                            return error != .unauthenticated
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(pool.completedCount - before == 4)
            #expect(refused == 36)
        }
    }

    @Test func aRememberedKeyIsNotThrottled() async throws {
        let clock = ManualClock()
        let throttle = AuthThrottle(configuration: .init(burst: 2, refillMilliseconds: 60_000, maximumWaitMilliseconds: 0), clock: clock.now)
        try await withVerifier(throttle: throttle) { _, pool, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            _ = try await verifier.verify(token.text, peer: "198.51.100.1")
            for _ in 1...3 { _ = try? await verifier.verify(APIKeyToken.generate().text, peer: "198.51.100.1") }
            let before = pool.completedCount
            #expect(try await verifier.verify(token.text, peer: "198.51.100.1").id == token.keyID, "the cache proves the key: no throttle")
            #expect(pool.completedCount == before)
        }
    }

    @Test func ipv6AddressesShareTheBucketOfTheirSlash64() {
        #expect(AuthThrottle.addressBucket("2001:db8:1:2:aaaa::1") == AuthThrottle.addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
        #expect(AuthThrottle.addressBucket("2001:db8:1:2::1") != AuthThrottle.addressBucket("2001:db8:1:3::1"))
        #expect(AuthThrottle.addressBucket("192.0.2.1") == "192.0.2.1")
        #expect(AuthThrottle.addressBucket("::1") == "0:0:0:0::/64")
    }

    @Test func throttlingCanBeTurnedOff() async throws {
        try await withVerifier(throttle: AuthThrottle(configuration: .init(burst: 0))) { _, _, verifier in
            let (_, token) = try await verifier.issuer.issue(name: "k", role: .admin, audit: .system("test"))
            for _ in 1...12 {
                await #expect(throws: KeyVerifier.Failure.unauthenticated) { try await verifier.verify(APIKeyToken.generate().text, peer: "p") }
            }
            #expect(try await verifier.verify(token.text, peer: "p").id == token.keyID)
        }
    }
}

/// A clock for the throttle that moves only when told.
final class ManualClock: Sendable {
    private let current = Mutex(Timestamp.now())

    var now: @Sendable () -> Timestamp { { [self] in current.withLock { $0 } } }

    func advance(milliseconds: Int64) { current.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}
