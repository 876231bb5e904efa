import ParleyModel

/// Another form `*.get` can answer in (`"format": "meta"`), made from the stored object.
typealias ResourceForm = @Sendable (StoredResource) throws -> JSONValue

/// A configuration family's content as the server serves it: the forms its `get` answers in
/// besides Parley's own, which its params are read against (``GetResourceParams``).
protocol ServedContent: ResourceContent {
    /// The other forms by their `format` name (Parley's own is `parley`); a family without any
    /// does not take `format`.
    static var forms: [String: ResourceForm] { get }
}

extension ServedContent {
    static var forms: [String: ResourceForm] { [:] }
}

extension WhatsAppTemplate: ServedContent {
    static let forms: [String: ResourceForm] = ["meta": TemplateMethods.metaForm]
}
extension OperatorGroup: ServedContent {}
extension WhatsAppNumber: ServedContent {}
extension HeroCard: ServedContent {}
extension Tag: ServedContent {}
extension BlockedFileType: ServedContent {}
extension FilePolicy: ServedContent {}
extension BusinessHours: ServedContent {}
