import GRDB

extension SQLiteStore {
    /// The schema history. Append-only: a migration that has shipped is never edited; changes
    /// go into a new one registered after the last.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_tenants_and_keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE store_revision (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        revision INTEGER NOT NULL
                    );
                    INSERT INTO store_revision (id, revision) VALUES (1, 0);
                    CREATE TABLE tenants (
                        id TEXT PRIMARY KEY NOT NULL,
                        slug TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        default_language TEXT,
                        timezone TEXT,
                        revision INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY NOT NULL,
                        secret_hash TEXT NOT NULL,
                        role TEXT NOT NULL,
                        tenant_id TEXT REFERENCES tenants(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        revoked_at INTEGER,
                        last_used_at INTEGER,
                        revision INTEGER NOT NULL
                    );
                    CREATE INDEX api_keys_by_tenant ON api_keys(tenant_id);
                    """)
        }
        migrator.registerMigration("v2_tenant_configuration") { db in
            // Every configuration family shares three tables: the objects (their fields as
            // canonical JSON), their unique keys, and the references between them. Integrity is
            // enforced by SQLite: a key belongs to one object, a reference needs its target.
            try db.execute(
                sql: """
                    CREATE TABLE resources (
                        id TEXT PRIMARY KEY NOT NULL,
                        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        name_key TEXT NOT NULL,
                        fields TEXT NOT NULL,
                        state TEXT NOT NULL,
                        revision INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX resources_by_tenant_kind ON resources(tenant_id, kind, id);
                    CREATE TABLE resource_keys (
                        kind TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                        PRIMARY KEY (kind, scope, name, value)
                    );
                    CREATE INDEX resource_keys_by_resource ON resource_keys(resource_id);
                    CREATE TABLE resource_refs (
                        from_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
                        field TEXT NOT NULL,
                        to_id TEXT NOT NULL REFERENCES resources(id),
                        PRIMARY KEY (from_id, field)
                    );
                    CREATE INDEX resource_refs_by_target ON resource_refs(to_id);
                    """)
        }
        migrator.registerMigration("v3_audit_and_key_lifecycle") { db in
            // The audit log outlives what it describes, so it has no foreign keys. Keys learn
            // who created them and which key replaced them in a rotation.
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        id TEXT PRIMARY KEY NOT NULL,
                        at INTEGER NOT NULL,
                        key_id TEXT,
                        tenant_id TEXT,
                        method TEXT NOT NULL,
                        target_type TEXT,
                        target_id TEXT,
                        outcome TEXT NOT NULL,
                        error_code INTEGER,
                        revision INTEGER,
                        changes TEXT NOT NULL
                    );
                    CREATE INDEX audit_log_by_tenant ON audit_log(tenant_id, id);
                    CREATE INDEX audit_log_by_key ON audit_log(key_id, id);
                    CREATE INDEX audit_log_by_time ON audit_log(at);
                    ALTER TABLE api_keys ADD COLUMN created_by TEXT;
                    ALTER TABLE api_keys ADD COLUMN replaced_by TEXT;
                    """)
        }
        migrator.registerMigration("v4_change_log") { db in
            // Every change to tenants and configuration objects is logged by triggers, in the
            // writing transaction, under the revision the write takes: `watch` reads this log, so
            // it can miss nothing and resume from any revision still kept.
            let next = "(SELECT revision + 1 FROM store_revision WHERE id = 1)"
            let now = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
            let resource =
                "json_object('fields', json(NEW.fields), 'state', json(NEW.state), 'revision', NEW.revision, "
                + "'created_at', NEW.created_at, 'updated_at', NEW.updated_at)"
            let tenant =
                "json_object('slug', NEW.slug, 'name', NEW.name, 'default_language', NEW.default_language, "
                + "'timezone', NEW.timezone, 'revision', NEW.revision, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at)"
            try db.execute(
                sql: """
                    CREATE TABLE change_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        revision INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        tenant_id TEXT NOT NULL,
                        family TEXT NOT NULL,
                        type TEXT NOT NULL,
                        object_id TEXT NOT NULL,
                        snapshot TEXT
                    );
                    CREATE INDEX change_log_by_revision ON change_log(revision);
                    CREATE TABLE change_log_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        compact_revision INTEGER NOT NULL
                    );
                    INSERT INTO change_log_state (id, compact_revision) VALUES (1, (SELECT revision FROM store_revision WHERE id = 1));
                    CREATE TRIGGER resources_created AFTER INSERT ON resources BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), NEW.tenant_id, NEW.kind, 'created', NEW.id, \(resource));
                    END;
                    CREATE TRIGGER resources_updated AFTER UPDATE ON resources BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), NEW.tenant_id, NEW.kind, 'updated', NEW.id, \(resource));
                    END;
                    CREATE TRIGGER resources_deleted AFTER DELETE ON resources BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), OLD.tenant_id, OLD.kind, 'deleted', OLD.id, NULL);
                    END;
                    CREATE TRIGGER tenants_created AFTER INSERT ON tenants BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), NEW.id, 'tenants', 'created', NEW.id, \(tenant));
                    END;
                    CREATE TRIGGER tenants_updated AFTER UPDATE ON tenants BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), NEW.id, 'tenants', 'updated', NEW.id, \(tenant));
                    END;
                    CREATE TRIGGER tenants_deleted AFTER DELETE ON tenants BEGIN
                        INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                        VALUES (\(next), \(now), OLD.id, 'tenants', 'deleted', OLD.id, NULL);
                    END;
                    """)
        }
        return migrator
    }
}
