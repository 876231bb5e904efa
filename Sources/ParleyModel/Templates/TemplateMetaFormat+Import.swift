extension TemplateMetaFormat {
    /// A Meta template turned into `templates.create` params, with what Meta's copy says beyond
    /// the content: its review status, its id, and the members Parley does not keep.
    public struct Imported: Sendable {
        /// `name`, `language`, `category`, `parameter_format`, `components` (Parley's shape), and
        /// `message_send_ttl_seconds` when Meta's copy has it.
        public var params: [String: JSONValue]
        /// Meta's `status` (APPROVED, REJECTED, ...), when given.
        public var status: String?
        /// Meta's template `id`, when given.
        public var metaTemplateId: String?
        /// Top-level members of Meta's copy that Parley does not keep (`sub_category`, ...).
        public var ignored: [String]
    }

    /// The members of Meta's template object Parley reads.
    static let readMembers: Set<String> = ["name", "language", "category", "parameter_format", "components", "message_send_ttl_seconds", "status", "id"]

    /// Reads Meta's template object (a create request or one entry of Meta's list response).
    /// Problems of shape are reported at `template...` paths; Parley's rules then apply to the params.
    public static func parleyParams(fromMeta meta: [String: JSONValue]) throws(ConfigError) -> Imported {
        var issues: [ValidationIssue] = []
        var params: [String: JSONValue] = [:]
        for member in ["name", "language", "category", "parameter_format", "message_send_ttl_seconds"] {
            if let value = meta[member] { params[member] = member == "category" ? .optional(value.stringValue?.uppercased()) : value }
        }
        let category = params["category"]?.stringValue
        let named = (meta["parameter_format"]?.stringValue?.uppercased() ?? "POSITIONAL") == "NAMED"
        var components: [String: JSONValue] = [:]
        switch meta["components"] {
        case .array(let list)?:
            for (index, element) in list.enumerated() {
                let path = "template.components[\(index)]"
                guard case .object(let component) = element, let type = component["type"]?.stringValue?.uppercased() else {
                    issues.append(.init(path: path, message: "must be an object with a type (HEADER, BODY, FOOTER or BUTTONS)"))
                    continue
                }
                let key = [
                    "HEADER": "header", "BODY": "body", "FOOTER": "footer", "BUTTONS": "buttons", "LIMITED_TIME_OFFER": "limited_time_offer",
                    "CAROUSEL": "carousel",
                ][type]
                guard let key, components[key] == nil else {
                    issues.append(
                        .init(
                            path: path + ".type",
                            message: key == nil
                                ? "must be HEADER, BODY, FOOTER, BUTTONS, LIMITED_TIME_OFFER or CAROUSEL (Parley stores no \(type) component)"
                                : "names a second \(type) component"))
                    continue
                }
                components[key] = convert(type, component, category: category, named: named, path: path, issues: &issues)
            }
        case nil:
            issues.append(.init(path: "template.components", message: "is required: Meta's list of HEADER, BODY, FOOTER and BUTTONS components"))
        case let other?:
            issues.append(.init(path: "template.components", message: "must be an array, not \(other.typeName)"))
        }
        if !issues.isEmpty { throw .invalid(issues) }
        params["components"] = .object(components)
        return Imported(
            params: params, status: meta["status"]?.stringValue?.uppercased(), metaTemplateId: meta["id"]?.stringValue,
            ignored: meta.keys.filter { !readMembers.contains($0) }.sorted())
    }

    private static func convert(
        _ type: String, _ component: [String: JSONValue], category: String?, named: Bool, path: String, issues: inout [ValidationIssue]
    ) -> JSONValue {
        let authentication = category == "AUTHENTICATION"
        switch type {
        case "HEADER":
            var header: [String: JSONValue] = ["format": component["format"] ?? .null]
            let format = component["format"]?.stringValue?.uppercased()
            header["format"] = .optional(format)
            if format == "TEXT" {
                header["text"] = component["text"] ?? .null
                header["examples"] = examples(
                    component["example"], text: component["text"]?.stringValue, named: named,
                    positional: "header_text", namedKey: "header_text_named_params", path: path, issues: &issues)
            } else if ["IMAGE", "VIDEO", "DOCUMENT"].contains(format) {
                let handle = component["example"]?["header_handle"]?[0]?.stringValue
                guard let handle, handle.hasPrefix("https://") else {
                    issues.append(
                        .init(
                            path: path + ".example.header_handle",
                            message: "must hold the sample's https URL (Parley keeps a URL; an upload handle such as 4::... cannot be sent again)"))
                    return .object(header)
                }
                header["example_url"] = .string(handle)
            }
            return .object(header)
        case "BODY":
            if authentication { return ["add_security_recommendation": component["add_security_recommendation"] ?? false] }
            return [
                "text": component["text"] ?? .null,
                "examples": examples(
                    component["example"], text: component["text"]?.stringValue, named: named,
                    positional: "body_text", namedKey: "body_text_named_params", path: path, issues: &issues),
            ]
        case "LIMITED_TIME_OFFER":
            return component["limited_time_offer"] ?? .null
        case "CAROUSEL":
            let cards = (component["cards"]?.arrayValue ?? []).enumerated().map { index, card -> JSONValue in
                var converted: [String: JSONValue] = [:]
                for (position, part) in (card["components"]?.arrayValue ?? []).enumerated() {
                    guard let partType = part["type"]?.stringValue?.uppercased(), let object = part.objectValue,
                        let key = ["HEADER": "header", "BODY": "body", "BUTTONS": "buttons"][partType]
                    else {
                        issues.append(.init(path: path + ".cards[\(index)].components[\(position)]", message: "must be a HEADER, BODY or BUTTONS component"))
                        continue
                    }
                    converted[key] = convert(
                        partType, object, category: "MARKETING", named: named, path: path + ".cards[\(index)].components[\(position)]", issues: &issues)
                }
                return .object(converted)
            }
            return ["cards": .array(cards)]
        case "FOOTER":
            if authentication { return component["code_expiration_minutes"].map { ["code_expiration_minutes": $0] } ?? [:] }
            return ["text": component["text"] ?? .null]
        default:
            guard case .array(let buttons)? = component["buttons"] else {
                issues.append(.init(path: path + ".buttons", message: "must be an array of buttons"))
                return []
            }
            return .array(
                buttons.enumerated().map { index, button in
                    self.button(button, authentication: authentication, path: path + ".buttons[\(index)]", issues: &issues)
                })
        }
    }

    /// Parley's `examples` (by variable key) from Meta's `example`.
    private static func examples(
        _ example: JSONValue?, text: String?, named: Bool, positional: String, namedKey: String, path: String, issues: inout [ValidationIssue]
    ) -> JSONValue {
        guard let example, !example.isNull else { return [:] }
        if named {
            var byName: [String: JSONValue] = [:]
            for entry in example[namedKey]?.arrayValue ?? [] {
                if let name = entry["param_name"]?.stringValue { byName[name] = entry["example"] ?? .null }
            }
            return .object(byName)
        }
        var values = example[positional]?.arrayValue ?? []
        if case .array(let first)? = values.first { values = first }  // the body's [[v1, v2]]
        var byNumber: [String: JSONValue] = [:]
        for (index, value) in values.enumerated() { byNumber[String(index + 1)] = value }
        return .object(byNumber)
    }

    private static func button(_ value: JSONValue, authentication: Bool, path: String, issues: inout [ValidationIssue]) -> JSONValue {
        guard case .object(var button) = value, let type = button["type"]?.stringValue?.uppercased() else {
            issues.append(.init(path: path, message: "must be a button object with a type"))
            return value
        }
        button["type"] = .string(type)
        switch type {
        case "URL" where authentication:
            // Meta lists an authentication template's OTP button as a URL to whatsapp.com/otp/code.
            let url = button["url"]?.stringValue ?? ""
            let otpType = url.split(separator: "?").dropFirst().first?.split(separator: "&")
                .first { $0.hasPrefix("otp_type=") }.map { String($0.dropFirst("otp_type=".count)) }
            var otp: [String: JSONValue] = ["type": "OTP", "otp_type": .string(otpType ?? "COPY_CODE")]
            for member in ["text", "autofill_text", "supported_apps", "zero_tap_terms_accepted"] where button[member] != nil { otp[member] = button[member] }
            return .object(otp)
        case "OTP":
            button["otp_type"] = .optional(button["otp_type"]?.stringValue?.uppercased())
            return .object(button)
        case "URL":
            if case .array(let samples)? = button["example"], let sample = samples.first?.stringValue, let url = button["url"]?.stringValue,
                url.hasSuffix(TemplateButton.urlVariable)
            {
                let base = String(url.dropLast(TemplateButton.urlVariable.count))
                button["example"] = .string(sample.hasPrefix(base) ? String(sample.dropFirst(base.count)) : sample)
            } else if button["example"] != nil, !(button["url"]?.stringValue?.hasSuffix(TemplateButton.urlVariable) ?? false) {
                button["example"] = nil
            }
            return .object(button)
        case "COPY_CODE":
            if case .array(let samples)? = button["example"] { button["example"] = samples.first ?? .null }
            return .object(button)
        default:
            return .object(button)
        }
    }
}
