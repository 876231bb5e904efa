import ParleyModel
import ParleyStore

/// A stored object together with its typed content, for methods that compute with it (render).
struct StoredContent<Content: ResourceContent> {
    var resource: StoredResource
    var content: Content

    /// Loads object `id` of `Content`'s family in `tenantId`, or throws not found.
    static func load(_ type: Content.Type, tenantId: String, id: String, store: any ConfigurationStore) async throws -> Self {
        guard let resource = try await store.resource(Content.kind, tenantId: tenantId, id: id) else {
            throw ConfigError.notFound(type: Content.kind.type, id: id)
        }
        return StoredContent(resource: resource, content: try content(of: resource))
    }

    /// The typed content of a stored object, read again by its family's rules.
    static func content(of resource: StoredResource) throws -> Content {
        var reader = ParamReader(resource.fields)
        guard let content = Content.read(from: &reader) else { throw StoredContentError.unreadable(resource.id) }
        return content
    }
}

/// A stored object no longer passes its family's rules (written before a rule was tightened).
enum StoredContentError: Error, CustomStringConvertible {
    case unreadable(String)

    var description: String {
        switch self {
        case .unreadable(let id): "stored object \(id) no longer passes its family's validation"
        }
    }
}
