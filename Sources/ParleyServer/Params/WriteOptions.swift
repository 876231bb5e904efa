import ParleyModel

/// The members that steer a write rather than change anything: `expected_revision`, `cascade`
/// (deletes that take it) and `dry_run`, read in this order wherever a method takes them.
struct WriteOptions: Sendable {
    /// The optional members a method takes besides `dry_run`, which every write takes.
    struct Members: OptionSet, Sendable {
        let rawValue: Int
        /// `expected_revision`: refuse the write unless the object (or store) is at this revision.
        static let expectedRevision = Members(rawValue: 1 << 0)
        /// `cascade`: delete what depends on the object with it.
        static let cascade = Members(rawValue: 1 << 1)
    }

    /// The revision the caller expects; nil when not given (or not taken).
    var expectedRevision: Int64?
    /// Whether to delete what depends on the object; false when not given (or not taken).
    var cascade = false
    /// Whether to check and answer without changing anything.
    var dryRun = false

    /// Reads `dry_run` and the `members` a method takes, reporting problems into `reader`.
    init(reading reader: inout ParamReader, taking members: Members = []) {
        if members.contains(.expectedRevision) { expectedRevision = reader.integer("expected_revision", in: 0...Int64.max) }
        if members.contains(.cascade) { cascade = reader.bool("cascade") ?? false }
        dryRun = reader.bool("dry_run") ?? false
    }
}
