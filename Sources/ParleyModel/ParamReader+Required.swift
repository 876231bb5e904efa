/// Required values, handed out once every problem is known.
extension ParamReader {
    /// Reports unknown members, throws every problem found (as ``finish()``), and otherwise returns
    /// `values` unwrapped: the required values read before, which are present when nothing was
    /// reported (a required member that is missing or wrong is an issue).
    ///
    /// ```swift
    /// let tenantId = reader.string("tenant_id", required: true)
    /// let content = Content.read(from: &reader)
    /// (self.tenantId, self.content) = try reader.finish(tenantId, content)
    /// ```
    ///
    /// A nil value with no problem reported is a reading that forgot to report one: it is refused
    /// as invalid params (``missingValue``) rather than trapping.
    @inlinable
    public mutating func finish<each Value>(_ values: repeat (each Value)?) throws(ConfigError) -> (repeat each Value) {
        // Inlinable so that callers in other modules get it specialized: as a generic over a
        // parameter pack it instantiated tuple metadata at run time on every call.
        try finish()
        return (repeat try Self.required(each values))
    }

    /// The issue of a required value that a reading left nil without reporting why.
    public static let missingValue = ValidationIssue(path: "", message: "a required value could not be read")

    @usableFromInline
    static func required<Value>(_ value: Value?) throws(ConfigError) -> Value {
        guard let value else { throw .invalid([missingValue]) }
        return value
    }
}
