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
        return migrator
    }
}
