import ParleyModel
import ParleyProtocol

/// How one incoming message will be answered: entries answered at once (errors, notifications)
/// and calls still to run, in the message's order.
struct DispatchPlan: Sendable {
    /// One entry's answer: known now, or the index of a call in ``pending``.
    enum Slot: Sendable {
        case answered(JSONValue?)
        case pending(Int)
    }

    /// A call to run: the method, the request it serves, and what the permission check decided
    /// (a refused mutation still runs, to leave its audit record).
    struct Call: Sendable {
        var method: Method
        /// The method's metrics (made once per server).
        var metrics: CallMetrics
        var request: RPCRequest
        var admission: PermissionDecision
    }

    var isBatch: Bool
    var slots: [Slot] = []
    var pending: [Call] = []

    /// Ids of the pending calls that expect a response (they are "in flight" until answered).
    var pendingIDs: [RequestID] { pending.compactMap(\.request.id) }

    /// The response when nothing is pending.
    var immediateResponse: JSONValue? { response(with: []) }

    /// The response to write once the pending calls produced `answers` (same order as ``pending``):
    /// one object, a batch array of the non-notification answers, or nil when nothing is owed.
    func response(with answers: [JSONValue?]) -> JSONValue? {
        let resolved = slots.map { slot -> JSONValue? in
            switch slot {
            case .answered(let answer): answer
            case .pending(let index): answers[index]
            }
        }
        guard isBatch else { return resolved.first ?? nil }
        let present = resolved.compactMap { $0 }
        return present.isEmpty ? nil : .array(present)
    }
}

extension IncomingMessage {
    /// How many requests this message would put in flight.
    var requestCount: Int {
        switch self {
        case .rejected: 0
        case .single(let entry): entry.isRequest ? 1 : 0
        case .batch(let entries): entries.count { $0.isRequest }
        }
    }
}

extension IncomingEntry {
    var isRequest: Bool {
        if case .request = self { return true }
        return false
    }
}
