import ParleyModel

/// `templates.set_status`: the template, Meta's review of it, `expected_revision` and `dry_run`.
struct SetTemplateStatusParams: ContextFreeParams {
    var address: ObjectAddress
    var review: TemplateReview
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        let review = TemplateReview.read(from: &reader)
        options = WriteOptions(reading: &reader, taking: .expectedRevision)
        (self.address, self.review) = try reader.finish(address, review)
    }
}

/// `templates.render`: the template and the values of its parameters (checked by the renderer).
struct RenderTemplateParams: ContextFreeParams {
    var address: ObjectAddress
    var parameters: JSONValue?

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let address = ObjectAddress.read(from: &reader)
        parameters = reader.value("parameters")
        self.address = try reader.finish(address)
    }
}

/// `templates.import`: the tenant, the WhatsApp number, the template in Meta's shape and `dry_run`.
struct ImportTemplateParams: ContextFreeParams {
    var tenantId: String
    var whatsappNumberId: String
    /// The template object as Meta's Graph API gives or takes it.
    var meta: [String: JSONValue]
    var options: WriteOptions

    init(reading reader: inout ParamReader) throws(ConfigError) {
        let tenantId = reader.string("tenant_id", required: true)
        let numberId = reader.string("whatsapp_number_id", required: true)
        let template = reader.value("template")
        options = WriteOptions(reading: &reader)
        var meta: [String: JSONValue]?
        switch template {
        case .object(let members)?: meta = members
        case nil, .null?: reader.report("template", "is required: one template object as Meta's Graph API gives or takes it")
        case let other?: reader.report("template", "must be an object, not \(other.typeName)")
        }
        (self.tenantId, self.whatsappNumberId, self.meta) = try reader.finish(tenantId, numberId, meta)
    }
}
