import ParleyModel

/// `<family>.update`: the object, `expected_revision` and `dry_run` (the controls), and the
/// changes, every other member, which the store checks merged into the stored fields.
///
/// Reading never throws: problems in the controls are answered together with the problems of the
/// changes (PROTOCOL.md §5), and those need the stored object, so ``controls`` holds them for the
/// handler (``ResourceMethods/update(_:_:)``).
struct UpdateResourceParams<Content: ServedContent>: ContextFreeParams {
    /// The controls as read.
    enum Controls {
        /// Every control is acceptable.
        case valid(ObjectAddress, WriteOptions)
        /// The problems found, and the object when its `tenant_id` and `id` could be read.
        case invalid([ValidationIssue], ObjectAddress?)
    }

    var controls: Controls
    var changes: [String: JSONValue]

    init(reading reader: inout ParamReader) {
        let address = ObjectAddress.read(from: &reader)
        let options = WriteOptions(reading: &reader, taking: .expectedRevision)
        changes = reader.params.filter { !updateControls.contains($0.key) }
        for name in changes.keys { _ = reader.contains(name) }
        reader.reportUnknownMembers()  // none: every member is a control or a change
        if let address, reader.issues.isEmpty {
            controls = .valid(address, options)
        } else {
            controls = .invalid(reader.issues.isEmpty ? [ParamReader.missingValue] : reader.issues, address)
        }
    }
}

/// The members of `update` params that steer the call rather than change the object.
private let updateControls: Set<String> = ObjectAddress.names.union(["expected_revision", "dry_run"])
