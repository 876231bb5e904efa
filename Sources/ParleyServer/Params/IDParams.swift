import ParleyModel

/// The params of a method that takes one object's `id` and nothing else (`tenants.get`, `api_keys.get`).
struct IDParams: ContextFreeParams {
    var id: String

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let id = reader.string("id", required: true)
        self.id = try reader.finish(id)
    }
}
