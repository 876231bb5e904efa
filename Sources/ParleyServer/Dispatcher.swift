import Logging
import Metrics
import ParleyModel
import ParleyProtocol
import ParleyStore

/// Routes requests to methods: checks ids, method existence and permissions on the event loop
/// (``plan(_:session:inFlightIDs:)``), then runs the admitted calls concurrently (``run(_:context:)``).
struct Dispatcher: Sendable {
    let methods: MethodTable
    let services: ServerServices
    /// Each method's metrics, by name.
    private let callMetrics: [String: CallMetrics]

    init(methods: MethodTable, services: ServerServices) {
        self.methods = methods
        self.services = services
        callMetrics = Dictionary(uniqueKeysWithValues: methods.names.map { ($0, CallMetrics(method: $0)) })
    }

    /// Decides, without running anything, how each entry of `message` is answered.
    func plan(_ message: IncomingMessage, session: Session?, inFlightIDs: Set<RequestID>) -> DispatchPlan {
        switch message {
        case .rejected(let error):
            return DispatchPlan(isBatch: false, slots: [.answered(RPCResponse.failure(id: nil, error: error))])
        case .single(let entry):
            var plan = DispatchPlan(isBatch: false)
            var seen = IDsInUse(inFlight: inFlightIDs, remembersNew: false)
            add(entry, to: &plan, session: session, seen: &seen)
            return plan
        case .batch(let entries):
            var plan = DispatchPlan(isBatch: true)
            var seen = IDsInUse(inFlight: inFlightIDs, remembersNew: true)
            for entry in entries { add(entry, to: &plan, session: session, seen: &seen) }
            return plan
        }
    }

    /// The request ids a message may not use: those in flight on the connection, and those of
    /// the batch's earlier entries. The set in flight is only read: a single request used to
    /// copy it in order to add its own id (an allocation per request).
    private struct IDsInUse {
        let inFlight: Set<RequestID>
        /// Whether the ids claimed are remembered (in a batch; a single request has no later entry).
        let remembersNew: Bool
        var claimed: Set<RequestID> = []

        /// False when `id` is in use; otherwise claims it.
        mutating func claim(_ id: RequestID) -> Bool {
            guard !inFlight.contains(id) else { return false }
            return remembersNew ? claimed.insert(id).inserted : true
        }
    }

    private func add(_ entry: IncomingEntry, to plan: inout DispatchPlan, session: Session?, seen: inout IDsInUse) {
        switch entry {
        case .invalid(let id, let error):
            plan.slots.append(.answered(RPCResponse.failure(id: id, error: error)))
        case .unusableNotification:
            plan.slots.append(.answered(nil))
        case .request(let request):
            switch admission(of: request, session: session, seen: &seen) {
            case .answer(let refusal):
                plan.slots.append(.answered(request.id.map { RPCResponse.failure(id: $0, error: refusal) }))
            case .run(let method, let decision):
                plan.slots.append(.pending(plan.pending.count))
                let metrics = callMetrics[method.name] ?? CallMetrics(method: method.name)
                plan.pending.append(.init(method: method, metrics: metrics, request: request, admission: decision))
            }
        }
    }

    private enum Admission {
        case answer(RPCError)
        case run(Method, PermissionDecision)
    }

    /// Whether `request` runs, and with which permission decision.
    private func admission(of request: RPCRequest, session: Session?, seen: inout IDsInUse) -> Admission {
        if let id = request.id {
            guard seen.claim(id) else {
                return .answer(RPCError(.invalidRequest, "id \(id) is already used by a request in flight on this connection"))
            }
        }
        guard let method = methods[request.method] else {
            return .answer(RPCError(.methodNotFound, "method \"\(TextRules.shortened(request.method))\" does not exist"))
        }
        if let session, let wait = services.rateLimiter.admit(session.keyID) {
            // swift-format-ignore
            return .answer(RPCError(
                .rateLimited, "this API key is over its limit of \(services.configuration.keyRequestsPerSecond) requests per second; \(RetryDelay.words(milliseconds: wait))",
                data: ["retry_after_ms": .int(wait)]))
        }
        let decision = method.permission.decide(session, method: method.name, params: request.params)
        if case .refused(let error) = decision, !(method.permission.mutates && session != nil) {
            return .answer(error)
        }
        return .run(method, decision)
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
        let started = ContinuousClock.now
        var context = context
        context.method = call.method.name
        if call.method.permission.mutates { context.audit = AuditTarget.context(for: call.request, session: context.session) }
        let outcome: Result<JSONValue, RPCError>
        var denied = false
        do {
            do {
                context.tenantScope = try await scope(of: call, session: context.session)
            } catch {
                denied = true
                throw error
            }
            outcome = .success(try await call.method.handler(context, call.request.params))
        } catch {
            outcome = .failure(Self.rpcError(error, logger: context.logger))
        }
        if call.method.permission.mutates, !context.audit.isRecorded {
            await recordAudit(outcome: outcome, denied: denied, context: context)
        }
        call.metrics.record(outcome, since: started)
        return Self.response(to: call, outcome)
    }

    /// How ``runImmediately(_:context:)`` went.
    enum ImmediateOutcome {
        /// Answered on the event loop: the response (nil for a notification).
        case answered(JSONValue?)
        /// Only the task path can answer it.
        case needsTask
        /// The store can answer it from memory after a read point (``ReadPoints``): wait for one
        /// and try again with it (``RequestContext/readPoint``).
        case needsReadPoint(ReadPointBatches)
    }

    /// Answers a call on the event loop when its method can do so from memory. Only reads have
    /// an immediate path, so there is nothing to audit.
    func runImmediately(_ call: DispatchPlan.Call, context: RequestContext) -> ImmediateOutcome {
        guard let immediate = call.method.immediate, case .allowed(let tenant) = call.admission else { return .needsTask }
        if call.method.immediateAtReadPoint, context.readPoint == nil, let batches = context.services.readPointBatches {
            return .needsReadPoint(batches)
        }
        let started = ContinuousClock.now
        var context = context
        context.method = call.method.name
        context.tenantScope = tenant
        let outcome: Result<JSONValue, RPCError>
        do {
            guard let result = try immediate(context, call.request.params) else { return .needsTask }
            outcome = .success(result)
        } catch {
            outcome = .failure(Self.rpcError(error, logger: context.logger))
        }
        call.metrics.record(outcome, since: started)
        return .answered(Self.response(to: call, outcome))
    }

    /// The JSON-RPC error a handler's error is answered with.
    private static func rpcError(_ error: any Error, logger: Logger) -> RPCError {
        switch error {
        case let error as RPCError: return error
        case let error as ConfigError: return RPCError(error)
        case _ where StoreError.classify(error) != nil:
            return storeFailure(StoreError.classify(error)!, logger: logger)
        default:
            logger.error("internal error", metadata: ["error": "\(error)"])
            return .internalError
        }
    }

    /// A store failure as the retryable -32015, logged and counted by reason.
    private static func storeFailure(_ error: StoreError, logger: Logger) -> RPCError {
        let reason: String
        let message: String
        // swift-format-ignore
        switch error {
        case .unavailable(let why):
            reason = why.reason
            message = switch why.reason {
            case "store_full": "the store is full (no space left for the database); nothing was changed; retry once space is freed"
            case "store_read_only": "the store is read-only; nothing was changed"
            case "store_busy": "the store is locked by another process; nothing was changed; retry shortly"
            case "store_unreachable": "the database cannot be reached (restarting?); nothing was changed; retry shortly"
            default: "the store could not be read or written; nothing was changed; retry later"
            }
        case .timeBudgetExceeded:
            reason = "time_budget_exceeded"
            message = "\(error.description); send a smaller change"
        case .schemaTooNew:
            reason = "store_io_error"
            message = "the store could not be used; retry later"
        }
        logger.error("store failure", metadata: ["reason": "\(reason)", "error": "\(error)"])
        Counter(label: "parley_store_errors_total", dimensions: [("reason", reason)]).increment()
        return RPCError(.unavailable, message, data: ["reason": .string(reason)])
    }

    private static func response(to call: DispatchPlan.Call, _ outcome: Result<JSONValue, RPCError>) -> JSONValue? {
        guard let id = call.request.id else { return nil }
        switch outcome {
        case .success(let result): return RPCResponse.success(id: id, result: result)
        case .failure(let error): return RPCResponse.failure(id: id, error: error)
        }
    }

    /// The tenant the call is confined to (nil: every tenant), or the refusal.
    private func scope(of call: DispatchPlan.Call, session: Session?) async throws -> String? {
        switch call.admission {
        case .allowed(let tenant):
            return tenant
        case .refused(let error):
            throw error
        case .allowedIfKeyIn(let tenant, let keyId):
            let key = try await services.store.apiKey(id: keyId)
            guard let key, key.tenantId == tenant, let session else {
                throw RPCError(ConfigError.notFound(type: APIKey.auditType, id: keyId))
            }
            if case .refused(let error) = call.method.permission.roleCheck(
                session, method: call.method.name, params: call.request.params, tenant: tenant)
            {
                throw error
            }
            return tenant
        }
    }

    /// Records a mutation that never reached a store write: refused, or invalid before the store.
    private func recordAudit(outcome: Result<JSONValue, RPCError>, denied: Bool, context: RequestContext) async {
        var result = AuditRecord.Outcome.unchanged
        var code: Int64?
        if case .failure(let error) = outcome {
            code = Int64(error.code.value)
            result = denied ? .denied : .failed
        }
        do {
            try await services.store.recordAudit(context.audit, outcome: result, errorCode: code)
        } catch {
            context.logger.error("could not write an audit record", metadata: ["error": "\(error)"])
        }
    }
}
