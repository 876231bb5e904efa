import Logging
import ParleyModel
import ParleyStore

/// Key changes made by other processes sharing the store (PostgreSQL replicas): a key revoked,
/// rotated, expired or deleted with its tenant on another replica is dropped from this server's
/// verified-key cache, and its connections here are closed (revoked, deleted) or get its new
/// expiry (rotated). Runs for the server's lifetime when the store reports key changes.
struct SharedKeyChanges {
    let services: ServerServices
    let events: AsyncStream<KeyChangeEvent>

    func run() async {
        for await event in events {
            switch event {
            case .changed(let keyId):
                await recheck(keyId)
            case .resync:
                for keyId in services.liveKeys.keyIDs() { await recheck(keyId) }
            }
        }
    }

    /// Looks key `keyId` up again and applies what the store says now.
    private func recheck(_ keyId: String) async {
        services.verifier.cache.invalidate(keyId: keyId)
        do {
            guard let key = try await services.store.apiKey(id: keyId), key.revokedAt == nil else {
                services.liveKeys.revoke(keyId)
                return
            }
            services.liveKeys.expire(keyId, at: key.expiresAt)
        } catch {
            // The key cannot be checked now; the listener asks for a resync once it reconnects.
            services.logger.warning("could not look up a key changed on another replica", metadata: ["key": "\(keyId)", "error": "\(error)"])
        }
    }
}
