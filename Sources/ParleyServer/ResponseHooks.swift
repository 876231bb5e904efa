import Synchronization

/// Actions a handler asks to run on its connection's event loop right after the response to its
/// message is written, such as starting a watch subscription so its events follow its response.
public final class ResponseHooks: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    /// Runs `action` after the response is written.
    public func add(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
    }

    func run() {
        for action in actions.withLock({ actions in
            defer { actions.removeAll() }; return actions
        }) { action() }
    }
}
