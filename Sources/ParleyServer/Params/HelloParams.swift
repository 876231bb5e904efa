import ParleyModel

/// What a `hello` asks for: the API key, the protocol version it speaks and the client's name.
struct HelloParams: ContextFreeParams {
    var apiKey: String
    var client: String?

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let apiKey = reader.string("api_key", required: true)
        if apiKey?.isEmpty == true { reader.report("api_key", "is required (it is empty: no API key was given)") }
        let version = SessionMethods.protocolVersion
        if let asked = reader.integer("protocol_version", required: true), asked != version {
            reader.report("protocol_version", "unsupported; this server speaks protocol version \(version)")
        }
        client = reader.string("client")
        if let client, client.utf8.count > 200 || TextRules.hasControlCharacter(client) {
            reader.report("client", "must be at most 200 bytes without control characters")
        }
        self.apiKey = try reader.finish(apiKey)
    }
}
