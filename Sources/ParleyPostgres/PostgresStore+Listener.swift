import Logging
import ParleyStore
import PostgresNIO

/// The `LISTEN parley` connection: every commit on any replica announces its revision (`r<n>`),
/// and key changes their key id (`k<id>`). On a revision the listener applies the change log to
/// the read cache (dropping what changed), marks how far it got (``ConsistentReads``) and wakes
/// watchers; on a key change it tells the server. After a lost connection it reconnects, catches
/// up, and asks the server to look at every key in use again (notifications may have been missed).
extension PostgresStore {
    func startListening(configuration: PostgresConnection.Configuration) {
        let logger = logger
        tasks.add(Task { [weak self] in
            var attempt = 0
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1_000_000 + attempt, logger: logger)
                    defer { Task { try? await connection.close() } }
                    try await connection.listen(on: "parley") { notifications in
                        guard let store = self else { return }
                        try await store.catchUp()
                        if attempt > 0 { store.keyChanges.send(.resync) }
                        attempt += 1
                        for try await notification in notifications {
                            guard let store = self else { return }
                            let payload = notification.payload
                            if payload.hasPrefix("k") {
                                store.keyChanges.send(.changed(keyId: String(payload.dropFirst())))
                            } else {
                                try await store.catchUp()
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    self?.consistency.reset()
                    logger.warning("the PostgreSQL change listener lost its connection; reconnecting", metadata: ["error": "\(String(reflecting: error).prefix(300))"])
                    attempt += 1
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        })
    }

    /// Applies the change log after what was applied last: drops the changed objects from the
    /// cache (everything, when a tenant changed or history was compacted past it) and wakes watchers.
    func catchUp() async throws {
        let applied = consistency.applied
        let (revision, sequence, changes) = try await onPool { client in
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: Self.silent)
                do {
                    let stateRows = try await connection.query(
                        "SELECT (SELECT revision FROM store_revision WHERE id = 1), (SELECT compact_revision FROM change_log_state WHERE id = 1)",
                        logger: Self.silent
                    ).collect()
                    guard let stateRow = stateRows.first else { throw StoreCorruption(reason: "store_revision is empty") }
                    let state = try stateRow.decode((Int64, Int64).self)
                    var changes = CommittedChanges()
                    var last = applied.sequence
                    var rows: [PostgresRow] = []
                    if applied.revision >= 0, state.1 <= applied.revision {
                        rows = try await connection.query(
                            "SELECT seq, family, object_id FROM change_log WHERE seq > \(applied.sequence) ORDER BY seq LIMIT 10001",
                            logger: Self.silent
                        ).collect()
                    }
                    if applied.revision < 0 || state.1 > applied.revision || rows.count > 10_000 {
                        // Nothing applied yet, history compacted past what was, or too much to go
                        // through one by one: start over from everything dropped.
                        changes.tenantChanged = true
                        last = try await connection.query("SELECT coalesce(max(seq), 0) FROM change_log", logger: Self.silent)
                            .collect().first?.decode(Int64.self) ?? 0
                    } else {
                        for row in rows {
                            let (seq, family, id) = try row.decode((Int64, String, String).self)
                            last = seq
                            if family == "tenants" { changes.tenantChanged = true } else { changes.resourceIds.append(id) }
                        }
                    }
                    try await connection.query("COMMIT", logger: Self.silent)
                    return (state.0, last, changes)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: Self.silent)
                    throw error
                }
            }
        }
        if !changes.resourceIds.isEmpty || changes.tenantChanged { readCache.invalidate(changes) }
        consistency.noteApplied(revision: revision, sequence: sequence)
        changeSignal.notify(revision: revision)
    }
}
