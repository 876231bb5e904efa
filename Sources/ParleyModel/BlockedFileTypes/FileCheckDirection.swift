/// Which way a file travels; a blocked file type applies to some of them.
public enum FileCheckDirection: String, Sendable, Hashable, CaseIterable {
    /// An operator sends a file to a client.
    case operatorUpload = "OPERATOR_UPLOAD"
    /// A client sends a file in a session.
    case clientUpload = "CLIENT_UPLOAD"
    /// A file attached to an e-mail, either way.
    case emailAttachment = "EMAIL_ATTACHMENT"

    /// The wire values in canonical order (`OPERATOR_UPLOAD, CLIENT_UPLOAD, EMAIL_ATTACHMENT`).
    public static let wireValues: [String] = allCases.map(\.rawValue)

    /// `directions` without duplicates, in canonical order.
    public static func canonical(_ directions: some Sequence<FileCheckDirection>) -> [FileCheckDirection] {
        let given = Set(directions)
        return allCases.filter(given.contains)
    }
}
