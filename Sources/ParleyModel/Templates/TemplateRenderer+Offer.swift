extension TemplateRenderer {
    /// A limited-time-offer template's `parameters.limited_time_offer`: `{"expiration_time_ms": N}`,
    /// the offer's end as a UNIX time in milliseconds (Meta requires it in every send), sent as
    /// Meta's `limited_time_offer` component. The preview shows the offer's text (and the end).
    static func renderOffer(_ offer: TemplateLimitedTimeOffer?, from reader: inout ParamReader) -> Part {
        guard let offer else {
            if reader.contains("limited_time_offer") {
                _ = reader.value("limited_time_offer")
                reader.report("limited_time_offer", "is not a parameter of this template: it has no limited-time offer")
            }
            return Part()
        }
        guard var section = reader.object("limited_time_offer", required: true) else { return Part(preview: offer.text) }
        // Meta's example uses 1209600000 (14 days as a duration); a real send needs a point in time.
        let expiration = section.integer("expiration_time_ms", required: true, in: 1...253_402_300_799_999)
        reader.absorb(section)
        guard let expiration else { return Part(preview: offer.text) }
        let parameter: JSONValue = ["type": "limited_time_offer", "limited_time_offer": ["expiration_time_ms": .int(expiration)]]
        let ends = offer.hasExpiration ? " (ends \(Timestamp(millisecondsSinceEpoch: expiration).rfc3339))" : ""
        return Part(components: [["type": "limited_time_offer", "parameters": [parameter]]], preview: offer.text + ends)
    }
}
