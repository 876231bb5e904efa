import ParleyModel

/// The typed params of a method, read once from the request's params object.
///
/// A conforming type reads its members through a ``ParamReader``, which collects every problem,
/// and ends with ``ParamReader/finish(_:)``: it throws all of them together (`-32602` with one
/// entry per problem, in the order the members are read, then the unknown members), or hands back
/// the required values, so a handler never sees a missing one. A ``Method`` built with a typed
/// handler reads the params before calling it, on the immediate path and the task path alike.
///
/// Most params depend on the params object alone: conform to ``ContextFreeParams``. Implement
/// this requirement directly only when the reading depends on the caller (`api_keys.create`, whose
/// absent `tenant_id` is the calling key's tenant).
public protocol MethodParams: Sendable {
    /// Reads the params of a call from `reader`; `context` is the call's, after its admission
    /// (``RequestContext/tenantScope`` is set).
    init(reading reader: inout ParamReader, for context: RequestContext) throws(ConfigError)
}

/// Params read from the params object alone, whoever calls.
public protocol ContextFreeParams: MethodParams {
    /// Reads the params from `reader`, throwing every problem found.
    init(reading reader: inout ParamReader) throws(ConfigError)
}

extension ContextFreeParams {
    /// Reads the params whoever calls (``init(reading:)``).
    public init(reading reader: inout ParamReader, for context: RequestContext) throws(ConfigError) {
        try self.init(reading: &reader)
    }
}

extension MethodParams {
    /// Reads `params`, the params object of a call served with `context`.
    public init(_ params: [String: JSONValue], for context: RequestContext) throws(ConfigError) {
        var reader = ParamReader(params)
        try self.init(reading: &reader, for: context)
    }
}
