import Synchronization

/// Wakes watchers when a write commits: each waiter resumes once the store revision passes the
/// one it has seen, or when its timeout ends.
public final class ChangeSignal: Sendable {
    private struct State {
        var revision: Int64 = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Tickets whose timeout or cancellation came before their continuation was stored.
        var resolved: Set<Int> = []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The last revision notified.
    public var latest: Int64 { state.withLock { $0.revision } }

    /// Records a committed revision and wakes every waiter.
    public func notify(revision: Int64) {
        let waiters = state.withLock { state in
            state.revision = max(state.revision, revision)
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when a revision after `seen` commits, after `timeout`, or on cancellation.
    public func wait(after seen: Int64, timeout: Duration) async {
        let ticket = state.withLock { state -> Int? in
            guard state.revision <= seen else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let ticket else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(ticket)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.revision > seen || state.resolved.remove(ticket) != nil { return true }
                    state.waiters[ticket] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            resume(ticket)
        }
        timer.cancel()
        _ = state.withLock { $0.resolved.remove(ticket) }
    }

    private func resume(_ ticket: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiters.removeValue(forKey: ticket) else {
                if state.resolved.count < 10_000 { state.resolved.insert(ticket) }
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}
