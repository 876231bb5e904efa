import ParleyModel

/// The params of a method that takes none (`ping`, `server.info`): any member is unknown.
struct NoParams: ContextFreeParams {
    init(reading reader: inout ParamReader) throws(ConfigError) {
        try reader.finish()
    }
}
