import Logging
import ParleyModel
import ParleyProtocol

/// Routes requests to methods: checks ids, method existence and permissions on the event loop
/// (``plan(_:session:inFlightIDs:)``), then runs the admitted calls concurrently (``run(_:context:)``).
struct Dispatcher: Sendable {
    let methods: MethodTable
    let services: ServerServices

    /// Decides, without running anything, how each entry of `message` is answered.
    func plan(_ message: IncomingMessage, session: Session?, inFlightIDs: Set<RequestID>) -> DispatchPlan {
        switch message {
        case .rejected(let error):
            return DispatchPlan(isBatch: false, slots: [.answered(RPCResponse.failure(id: nil, error: error))])
        case .single(let entry):
            var plan = DispatchPlan(isBatch: false)
            var seen = inFlightIDs
            add(entry, to: &plan, session: session, seen: &seen)
            return plan
        case .batch(let entries):
            var plan = DispatchPlan(isBatch: true)
            var seen = inFlightIDs
            for entry in entries { add(entry, to: &plan, session: session, seen: &seen) }
            return plan
        }
    }

    private func add(_ entry: IncomingEntry, to plan: inout DispatchPlan, session: Session?, seen: inout Set<RequestID>) {
        switch entry {
        case .invalid(let id, let error):
            plan.slots.append(.answered(RPCResponse.failure(id: id, error: error)))
        case .unusableNotification:
            plan.slots.append(.answered(nil))
        case .request(let request):
            if let refusal = refusal(of: request, session: session, seen: &seen) {
                plan.slots.append(.answered(request.id.map { RPCResponse.failure(id: $0, error: refusal) }))
            } else {
                plan.slots.append(.pending(plan.pending.count))
                plan.pending.append(.init(method: methods[request.method]!, request: request))
            }
        }
    }

    /// Why `request` cannot run, or nil when it may.
    private func refusal(of request: RPCRequest, session: Session?, seen: inout Set<RequestID>) -> RPCError? {
        if let id = request.id {
            guard seen.insert(id).inserted else {
                return RPCError(.invalidRequest, "id \(id) is already used by a request in flight on this connection")
            }
        }
        guard let method = methods[request.method] else {
            return RPCError(.methodNotFound, "method \"\(request.method)\" does not exist")
        }
        switch method.permission.decide(session, params: request.params) {
        case .allowed:
            return nil
        case .helloRequired:
            return .helloRequired
        case .forbidden:
            return RPCError(.forbidden, "this key's role may not call \(request.method)")
        case .tenantNotFound(let tenantId):
            return RPCError(ConfigError.notFound(type: "tenant", id: tenantId))
        }
    }

    func makeContext(session: Session?, connection: ConnectionHandle, logger: Logger) -> RequestContext {
        RequestContext(services: services, session: session, connection: connection, logger: logger)
    }

    /// Runs `calls` concurrently and returns their responses in the same order (nil for notifications).
    func run(_ calls: [DispatchPlan.Call], context: RequestContext) async -> [JSONValue?] {
        if calls.count == 1 { return [await run(calls[0], context: context)] }
        return await withTaskGroup(of: (Int, JSONValue?).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, await run(call, context: context)) }
            }
            var answers = [JSONValue?](repeating: nil, count: calls.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
    }

    private func run(_ call: DispatchPlan.Call, context: RequestContext) async -> JSONValue? {
        var context = context
        context.logger[metadataKey: "method"] = "\(call.method.name)"
        let outcome: Result<JSONValue, RPCError>
        do {
            outcome = .success(try await call.method.handler(context, call.request.params))
        } catch let error as RPCError {
            outcome = .failure(error)
        } catch let error as ConfigError {
            outcome = .failure(RPCError(error))
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(error)"])
            outcome = .failure(.internalError)
        }
        guard let id = call.request.id else { return nil }
        switch outcome {
        case .success(let result): return RPCResponse.success(id: id, result: result)
        case .failure(let error): return RPCResponse.failure(id: id, error: error)
        }
    }
}
