/// What `hello` told the CLI about the key it connected with, for the command running on that
/// connection (one command per process, so a task-local is its scope).
enum CLISession {
    /// The tenant a tenant-bound key belongs to; nil for an ADMIN key (or before `hello`).
    @TaskLocal static var keyTenant: String?
}
