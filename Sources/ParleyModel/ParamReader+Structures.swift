/// Accessors for enumerations, nested objects and arrays.
extension ParamReader {
    /// A string member that must be one of `allowed`; `defaultValue` when absent or null.
    public mutating func enumeration(_ name: String, _ allowed: [String], default defaultValue: String? = nil, required: Bool = false) -> String? {
        guard let text = string(name, required: required && defaultValue == nil) else { return defaultValue }
        guard allowed.contains(text) else {
            report(name, "must be one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// An object member, as a reader whose paths are prefixed with the member's path.
    /// Hand it back with ``absorb(_:)`` once read.
    public mutating func object(_ name: String, required: Bool = false) -> ParamReader? {
        switch value(name) {
        case nil, .null?:
            if required { report(name, "is required") }
            return nil
        case .object(let members)?:
            return ParamReader(members, path: path(name))
        case let other?:
            report(name, "must be an object, not \(other.typeName)")
            return nil
        }
    }

    /// An array member with at most `maximumCount` elements; reports a wrong type or too many elements.
    public mutating func array(_ name: String, required: Bool = false, maximumCount: Int) -> [JSONValue]? {
        switch value(name) {
        case nil, .null?:
            if required { report(name, "is required") }
            return nil
        case .array(let elements)?:
            guard elements.count <= maximumCount else {
                report(name, "must have at most \(maximumCount) elements, not \(elements.count)")
                return nil
            }
            return elements
        case let other?:
            report(name, "must be an array, not \(other.typeName)")
            return nil
        }
    }

    /// The path of element `index` of array member `name` (`buttons[2]`).
    public func elementPath(_ name: String, _ index: Int) -> String { path(name) + "[\(index)]" }

    /// Each element of array member `name` as an object reader (`buttons[2].text`); reports
    /// elements that are not objects. Hand each back with ``absorb(_:)``.
    public mutating func objectElements(_ name: String, required: Bool = false, maximumCount: Int) -> [ParamReader]? {
        guard let elements = array(name, required: required, maximumCount: maximumCount) else { return nil }
        var readers: [ParamReader] = []
        var ok = true
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                reportPath(elementPath(name, index), "must be an object, not \(element.typeName)")
                ok = false
                continue
            }
            readers.append(ParamReader(members, path: elementPath(name, index)))
        }
        return ok ? readers : nil
    }

    /// An array of distinct strings; each element is checked by `check` (which returns the
    /// normalised element or nil after reporting through the given path).
    public mutating func stringArray(
        _ name: String, maximumCount: Int, unique: Bool = true,
        check: (String, _ path: String, inout ParamReader) -> String? = { text, _, _ in text }
    ) -> [String]? {
        guard let elements = array(name, maximumCount: maximumCount) else { return nil }
        var result: [String] = []
        var seen: Set<[UInt8]> = []  // exact comparison: canonically equivalent strings stay distinct
        var ok = true
        for (index, element) in elements.enumerated() {
            let elementPath = elementPath(name, index)
            guard case .string(let text) = element else {
                reportPath(elementPath, "must be a string, not \(element.typeName)")
                ok = false
                continue
            }
            guard let checked = check(text, elementPath, &self) else { ok = false; continue }
            if unique, !seen.insert(Array(checked.utf8)).inserted {
                reportPath(elementPath, "duplicates an earlier element")
                ok = false
                continue
            }
            result.append(checked)
        }
        return ok ? result : nil
    }

    /// Records a problem at a full path (for array elements).
    public mutating func reportPath(_ fullPath: String, _ message: String) {
        appendIssue(ValidationIssue(path: fullPath, message: message))
    }

    /// Records a warning at a full path.
    public mutating func warnPath(_ fullPath: String, _ message: String) {
        appendWarning(ValidationIssue(path: fullPath, message: message))
    }
}
