/// The kind of a template header.
public enum TemplateHeaderFormat: String, Sendable, Hashable, CaseIterable {
    case text = "TEXT"
    case image = "IMAGE"
    case video = "VIDEO"
    case document = "DOCUMENT"
    case location = "LOCATION"

    /// The wire values, in documentation order.
    public static let wireValues = allCases.map(\.rawValue)

    /// Whether the header shows a media file (IMAGE, VIDEO, DOCUMENT).
    public var isMedia: Bool { self == .image || self == .video || self == .document }

    /// The Cloud API parameter type of a media header (`image`, `video`, `document`).
    var cloudAPIType: String { rawValue.lowercased() }
}
