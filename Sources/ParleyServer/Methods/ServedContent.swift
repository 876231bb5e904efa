import ParleyModel

/// Another form `*.get` can answer in (`"format": "meta"`), made from the stored object.
typealias ResourceForm = @Sendable (StoredResource) throws -> JSONValue

/// A configuration family's content as the server serves it: what its params are read against
/// (``ListResourcesParams``, ``GetResourceParams``), kept once rather than made for every call.
protocol ServedContent: ResourceContent {
    /// The family's list filters, its ``ResourceKind/listFilters``.
    static var listFilters: [ListFilter] { get }
    /// The forms `get` answers in besides Parley's own (`parley`), by their `format` name; a
    /// family without any does not take `format`.
    static var forms: [String: ResourceForm] { get }
}

extension ServedContent {
    static var forms: [String: ResourceForm] { [:] }
}

extension OperatorGroup: ServedContent {
    static let listFilters = kind.listFilters
}

extension WhatsAppNumber: ServedContent {
    static let listFilters = kind.listFilters
}

extension WhatsAppTemplate: ServedContent {
    static let listFilters = kind.listFilters
    static let forms: [String: ResourceForm] = ["meta": TemplateMethods.metaForm]
}

extension HeroCard: ServedContent {
    static let listFilters = kind.listFilters
}

extension Tag: ServedContent {
    static let listFilters = kind.listFilters
}

extension BlockedFileType: ServedContent {
    static let listFilters = kind.listFilters
}

extension FilePolicy: ServedContent {
    static let listFilters = kind.listFilters
}

extension BusinessHours: ServedContent {
    static let listFilters = kind.listFilters
}
