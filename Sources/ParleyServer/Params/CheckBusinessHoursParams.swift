import ParleyModel

/// `business_hours.check`: the schedule and the time to check (now when not given).
struct CheckBusinessHoursParams: ContextFreeParams {
    var address: ObjectAddress
    var at = Timestamp.now()

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        if let text = reader.string("at") {
            if let parsed = Timestamp(rfc3339: text) {
                at = parsed
            } else {
                reader.report("at", "must be an RFC 3339 time such as 2026-03-29T01:30:00Z or 2026-03-29T03:30:00+02:00")
            }
        }
        self.address = try reader.finish(address)
    }
}
