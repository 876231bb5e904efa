/// Reads typed members out of a JSON-RPC params object and collects every problem it finds.
///
/// Each accessor records a ``ValidationIssue`` instead of throwing, so one call reports all
/// problems at once; ``finish()`` adds one issue per unknown member and throws them together.
public struct ParamReader {
    /// The members as received.
    public let params: [String: JSONValue]
    /// Problems found so far.
    public private(set) var issues: [ValidationIssue] = []
    /// Accepted-but-risky input found so far (returned as `warnings`, never an error).
    public private(set) var warnings: [ValidationIssue] = []
    /// The names accessors asked for. An array, not a set: a reader is asked for a handful of
    /// names, and comparing a few short strings is cheaper than hashing each one (this runs for
    /// every member of every request).
    private var known: [String] = []
    /// Set once unknown members were reported: every member counts as known from then on.
    private var membersReported = false
    private let prefix: String

    /// Reads `params`; `path` prefixes every reported path (for nested objects).
    public init(_ params: [String: JSONValue], path: String = "") {
        self.params = params
        self.prefix = path.isEmpty ? "" : path + "."
    }

    /// The full path of member `name`.
    public func path(_ name: String) -> String { prefix + name }

    /// Whether an accessor has asked for member `name`.
    public func isKnown(_ name: String) -> Bool { known.contains(name) || (membersReported && params[name] != nil) }

    private mutating func markKnown(_ name: String) {
        if !known.contains(name) { known.append(name) }
    }

    /// Records a problem with member `name`.
    public mutating func report(_ name: String, _ message: String) {
        issues.append(ValidationIssue(path: path(name), message: message))
    }

    mutating func appendIssue(_ issue: ValidationIssue) { issues.append(issue) }
    mutating func appendWarning(_ warning: ValidationIssue) { warnings.append(warning) }

    /// Records a warning about member `name` (pass "" for the object itself).
    public mutating func warn(_ name: String, _ message: String) {
        warnings.append(ValidationIssue(path: name.isEmpty ? String(prefix.dropLast()) : path(name), message: message))
    }

    /// Whether member `name` is present (even as null). Marks it as known.
    public mutating func contains(_ name: String) -> Bool {
        markKnown(name)
        return params[name] != nil
    }

    /// The raw value of member `name`, marking it as known.
    public mutating func value(_ name: String) -> JSONValue? {
        markKnown(name)
        return params[name]
    }

    /// A string member; reports a missing required member or a wrong type.
    public mutating func string(_ name: String, required: Bool = false) -> String? {
        switch value(name) {
        case nil, .null?:
            if required { report(name, "is required") }
            return nil
        case .string(let text)?:
            return text
        case let other?:
            report(name, "must be a string, not \(other.typeName)")
            return nil
        }
    }

    /// An integer member within `range`; reports missing, wrong type or out of range.
    public mutating func integer(_ name: String, required: Bool = false, in range: ClosedRange<Int64>? = nil) -> Int64? {
        switch value(name) {
        case nil, .null?:
            if required { report(name, "is required") }
            return nil
        case .int(let number)?:
            if let range, !range.contains(number) {
                report(name, "must be between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            return number
        case .double(let number)? where number == number.rounded() && abs(number) < 9.2e18:
            report(name, "must be an integer written without a fraction or an exponent (\(Int64(number)), not \(Self.written(number)))")
            return nil
        case .double(let number)? where number == number.rounded():
            report(name, "must be an integer in the 64-bit range")
            return nil
        case .double?:
            report(name, "must be an integer, not a fractional number")
            return nil
        case let other?:
            report(name, "must be an integer, not \(other.typeName)")
            return nil
        }
    }

    /// How an integral double was likely written, for messages (`7.0`).
    private static func written(_ number: Double) -> String { "\(Int64(number)).0" }

    /// A boolean member; reports a wrong type.
    public mutating func bool(_ name: String, required: Bool = false) -> Bool? {
        switch value(name) {
        case nil, .null?:
            if required { report(name, "is required") }
            return nil
        case .bool(let flag)?:
            return flag
        case let other?:
            report(name, "must be a boolean, not \(other.typeName)")
            return nil
        }
    }

    /// A member that may be set to a string or cleared with null (for updates).
    public mutating func nullableString(_ name: String) -> FieldUpdate<String> {
        switch value(name) {
        case nil: return .unchanged
        case .null?: return .set(nil)
        case .string(let text)?: return .set(text)
        case let other?:
            report(name, "must be a string or null, not \(other.typeName)")
            return .unchanged
        }
    }

    /// Reports one issue per member that no accessor asked for.
    public mutating func reportUnknownMembers() {
        guard !membersReported else { return }
        membersReported = true
        // Only the unknown names are sorted (so that issues come in a stable order): the usual
        // call, with none, allocates nothing.
        for name in params.keys.filter({ !known.contains($0) }).sorted() {
            // A long unknown name is cut short: errors never echo kilobytes of client input.
            report(TextRules.shortened(name), "is not a known parameter")
        }
    }

    /// Takes over the issues and warnings of a nested reader, unknown members included.
    public mutating func absorb(_ nested: ParamReader) {
        var nested = nested
        nested.reportUnknownMembers()
        issues += nested.issues
        warnings += nested.warnings
    }

    /// Reports unknown members and throws ``ConfigError/invalid(_:)`` if any problem was found.
    public mutating func finish() throws(ConfigError) {
        reportUnknownMembers()
        if !issues.isEmpty { throw .invalid(issues) }
    }
}

/// A field in an update: left as it is, or set to a new value (possibly null).
public enum FieldUpdate<Value: Sendable & Hashable>: Sendable, Hashable {
    case unchanged
    case set(Value?)
}
