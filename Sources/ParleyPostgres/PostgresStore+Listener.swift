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
        // swift-format-ignore
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
                            } else if let revision = Int64(payload.dropFirst()), revision <= store.consistency.applied.revision {
                                // A batch commits many revisions at once, each announced: the
                                // first catch-up applied them all, the rest have nothing to do.
                                continue
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
    /// One statement, so one snapshot: the revision, the compaction mark and the log agree.
    func catchUp() async throws {
        let applied = consistency.applied
        // Nothing applied yet: no rows to go through, everything is dropped anyway.
        let after = applied.revision < 0 ? Int64.max : applied.sequence
        let rows = try await onPool { client in
            try await client.query(
                """
                SELECT s.revision, c.compact_revision, (SELECT coalesce(max(seq), 0) FROM change_log), l.seq, l.family, l.object_id
                FROM store_revision s CROSS JOIN change_log_state c
                LEFT JOIN LATERAL (SELECT seq, family, object_id FROM change_log WHERE seq > \(after) ORDER BY seq LIMIT 10001) l ON true
                WHERE s.id = 1 AND c.id = 1
                ORDER BY l.seq
                """
            ).collect()
        }
        let decoded = try rows.map { try $0.decode((Int64, Int64, Int64, Int64?, String?, String?).self) }
        guard let (revision, compactRevision, lastSequence, _, _, _) = decoded.first else {
            throw StoreCorruption(reason: "store_revision is empty")
        }
        var changes = CommittedChanges()
        var last = applied.sequence
        if applied.revision < 0 || compactRevision > applied.revision || rows.count > 10_000 {
            // Nothing applied yet, history compacted past what was, or too much to go through
            // one by one: start over from everything dropped.
            changes.tenantChanged = true
            last = lastSequence
        } else {
            for (_, _, _, seq, family, id) in decoded {
                guard let seq, let family, let id else { continue }
                last = seq
                if family == "tenants" { changes.tenantChanged = true } else { changes.resourceIds.append(id) }
            }
        }
        if !changes.resourceIds.isEmpty || changes.tenantChanged { readCache.invalidate(changes) }
        consistency.noteApplied(revision: revision, sequence: last)
        changeSignal.notify(revision: revision)
    }
}
