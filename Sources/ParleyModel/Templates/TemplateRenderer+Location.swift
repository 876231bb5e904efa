extension TemplateRenderer {
    /// The longest location name or address.
    static let locationTextLength = 1024

    /// Renders a LOCATION header from `parameters.header`:
    /// `{"latitude": -90...90, "longitude": -180...180, "name"?: text, "address"?: text}`.
    static func renderLocation(from reader: inout ParamReader) -> Part {
        guard reader.value("header").map({ !$0.isNull }) ?? false else {
            reader.report("header", "is required: a LOCATION header needs latitude and longitude")
            return Part()
        }
        guard var section = reader.object("header") else { return Part() }
        var location: [String: JSONValue] = [:]
        location["latitude"] = coordinate("latitude", limit: 90, from: &section).map(JSONValue.string)
        location["longitude"] = coordinate("longitude", limit: 180, from: &section).map(JSONValue.string)
        for name in ["name", "address"] {
            guard let value = section.value(name), !value.isNull else { continue }
            location[name] = TemplateParameterRules.read(value, name: name, maximumLength: locationTextLength, into: &section)
                .map(JSONValue.string)
        }
        reader.absorb(section)
        let parameter: JSONValue = ["type": "location", "location": .object(location)]
        return Part(components: [["type": "header", "parameters": [parameter]]], preview: "[LOCATION]")
    }

    /// The number member `name` within ±`limit`, as Cloud API decimal text.
    private static func coordinate(_ name: String, limit: Double, from section: inout ParamReader) -> String? {
        let message = "must be a number from \(Int(-limit)) to \(Int(limit))"
        switch section.value(name) {
        case nil, .null?:
            section.report(name, "is required")
        case .int(let number)? where Double(number).magnitude <= limit:
            return String(number)
        case .double(let number)? where number.magnitude <= limit:
            return decimalText(number)
        default:
            section.report(name, message)
        }
        return nil
    }

    /// `number` as plain decimal text: the shortest digits that read back as the same Double,
    /// never in exponent form, without a trailing `.0` (`50.08`, `14`, `0.00001`).
    static func decimalText(_ number: Double) -> String {
        if number == 0 { return "0" }
        let shortest = "\(number.magnitude)"
        let sign = number < 0 ? "-" : ""
        let parts = shortest.split(separator: "e")
        var mantissa = String(parts[0])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        guard parts.count == 2, let exponent = Int(parts[1]) else { return sign + mantissa }
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let digits = String(pieces[0]) + (pieces.count > 1 ? String(pieces[1]) : "")
        let point = pieces[0].count + exponent
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }
}
