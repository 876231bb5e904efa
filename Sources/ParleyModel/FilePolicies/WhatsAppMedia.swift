/// The media WhatsApp's Cloud API sends, by file extension, and the largest file of each kind
/// (Meta's media page, April 2026). A type not here cannot be sent on WhatsApp at all. Sizes in
/// binary units (5 MB = 5 × 1024 × 1024 bytes).
public enum WhatsAppMedia {
    /// A kind of media and its limit.
    public struct Kind: Sendable, Hashable {
        /// `image`, `video`, `audio`, `document` or `sticker`.
        public var name: String
        public var maxBytes: Int64
    }

    private static let megabyte: Int64 = 1024 * 1024

    /// The kind a file of `fileExtension` is sent as, or nil when WhatsApp sends no such file.
    /// WebP is sent only as a sticker: 500 KB when animated, 100 KB when static.
    public static func kind(ofExtension fileExtension: String, animated: Bool = false) -> Kind? {
        switch fileExtension {
        case "jpeg", "jpg", "png": Kind(name: "image", maxBytes: 5 * megabyte)
        case "mp4", "3gp": Kind(name: "video", maxBytes: 16 * megabyte)
        case "aac", "amr", "mp3", "m4a", "ogg": Kind(name: "audio", maxBytes: 16 * megabyte)
        case "txt", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx": Kind(name: "document", maxBytes: 100 * megabyte)
        case "webp": Kind(name: "sticker", maxBytes: animated ? 500 * 1024 : 100 * 1024)
        default: nil
        }
    }
}
