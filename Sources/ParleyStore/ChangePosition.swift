/// Where a watch starts in the change log.
public enum ChangePosition: Sendable, Hashable {
    /// After log position `sequence`; `revision` is the store revision now.
    case at(sequence: Int64, revision: Int64)
    /// The history from the requested revision is gone; the oldest resumable revision is `compactRevision`.
    case gone(compactRevision: Int64)
}
