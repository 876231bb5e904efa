import NIOConcurrencyHelpers
import NIOCore
import ParleyModel

/// The keys that connections are authenticated with right now: their expiry and revocation,
/// checked on every request, and their connections, closed at once when a key is revoked.
public final class LiveKeys: Sendable {
    private struct State {
        var tenantId: String?
        var expiresAt: Timestamp?
        var revoked = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    private let states = NIOLockedValueBox<[String: State]>([:])

    public init() {}

    /// Records that `channel` authenticated with `key`; forgotten when the channel closes.
    func admit(_ key: APIKey, on channel: any Channel) {
        let channelID = ObjectIdentifier(channel)
        states.withLockedValue { states in
            var state = states[key.id] ?? State()
            state.tenantId = key.tenantId
            state.expiresAt = key.expiresAt
            state.revoked = state.revoked || key.revokedAt != nil
            state.channels[channelID] = channel
            states[key.id] = state
        }
        channel.closeFuture.whenComplete { [self] _ in
            states.withLockedValue { states in
                states[key.id]?.channels.removeValue(forKey: channelID)
                if states[key.id]?.channels.isEmpty == true { states.removeValue(forKey: key.id) }
            }
        }
    }

    /// Forgets that `channel` was authenticated with `keyId` (it said `hello` again with another key).
    func release(_ keyId: String, from channel: any Channel) {
        let channelID = ObjectIdentifier(channel)
        states.withLockedValue { states in
            states[keyId]?.channels.removeValue(forKey: channelID)
            if states[keyId]?.channels.isEmpty == true { states.removeValue(forKey: keyId) }
        }
    }

    /// Whether requests authenticated with `keyId` may still run at `now`.
    func isUsable(_ keyId: String, at now: Timestamp) -> Bool {
        states.withLockedValue { states in
            guard let state = states[keyId] else { return true }
            return !state.revoked && (state.expiresAt.map { now < $0 } ?? true)
        }
    }

    /// Marks `keyId` revoked and closes every connection authenticated with it, except
    /// `sparing` (the connection that asked, which gets its answer and then -32001 on its next request).
    func revoke(_ keyId: String, sparing: (any Channel)? = nil) {
        let spared = sparing.map(ObjectIdentifier.init)
        let channels = states.withLockedValue { states -> [any Channel] in
            states[keyId]?.revoked = true
            return (states[keyId]?.channels ?? [:]).filter { $0.key != spared }.map(\.value)
        }
        // The connection says why before it closes (-32001, id null), so that clients can tell
        // a revoked key from a network failure (`parley watch` reports it).
        for channel in channels { channel.pipeline.fireUserInboundEventTriggered(KeyStoppedWorking()) }
    }

    /// Closes every connection authenticated with a key of `tenantId` (the tenant was deleted).
    func revokeAll(ofTenant tenantId: String) {
        let keys = states.withLockedValue { states in states.filter { $0.value.tenantId == tenantId }.map(\.key) }
        for key in keys { revoke(key) }
    }

    /// Sets when `keyId` stops working (a rotation's grace period).
    func expire(_ keyId: String, at time: Timestamp?) {
        states.withLockedValue { states in states[keyId]?.expiresAt = time }
    }

    /// The ids of the keys connections are authenticated with now.
    func keyIDs() -> [String] {
        states.withLockedValue { Array($0.keys) }
    }

    /// How many connections are authenticated with `keyId`.
    func connectionCount(of keyId: String) -> Int {
        states.withLockedValue { $0[keyId]?.channels.count ?? 0 }
    }
}

/// Sent through a connection's pipeline when the key it authenticated with stops working
/// (revoked, or its tenant deleted): the connection writes -32001 with id null and closes.
struct KeyStoppedWorking: Sendable {}
