/// The PostgreSQL schema history. Append-only: a migration that has shipped is never edited;
/// changes go into a new one added at the end. Each is a list of statements (postgres-nio runs
/// one statement per query), applied in one transaction.
enum PostgresMigrations {
    static let all: [(id: String, statements: [String])] = [("v1_parley_schema", v1), ("v2_revision_from_the_writer", v2)]

    /// The tables of the SQLite store's four migrations (ids in the "C" collation, so that they sort
    /// and page by bytes, as in SQLite, whatever the database's locale), with the change log written by one
    /// trigger function that also announces each committed revision on channel `parley` (`r<revision>`), and key
    /// changes that matter to other replicas as `k<key id>`.
    private static let v1 = [
        "CREATE TABLE store_revision (id integer PRIMARY KEY CHECK (id = 1), revision bigint NOT NULL)",
        "INSERT INTO store_revision (id, revision) VALUES (1, 0)",
        """
        CREATE TABLE tenants (
            id text COLLATE "C" PRIMARY KEY, slug text NOT NULL UNIQUE, name text NOT NULL, default_language text, timezone text,
            revision bigint NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL)
        """,
        """
        CREATE TABLE api_keys (
            id text COLLATE "C" PRIMARY KEY, secret_hash text NOT NULL, role text NOT NULL,
            tenant_id text REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL, created_at bigint NOT NULL,
            expires_at bigint, revoked_at bigint, last_used_at bigint, revision bigint NOT NULL, created_by text, replaced_by text)
        """,
        "CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id)",
        """
        CREATE TABLE resources (
            id text COLLATE "C" PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, kind text NOT NULL,
            name_key text COLLATE "C" NOT NULL, fields text NOT NULL, state text NOT NULL, revision bigint NOT NULL,
            created_at bigint NOT NULL, updated_at bigint NOT NULL)
        """,
        "CREATE INDEX resources_by_tenant_kind ON resources (tenant_id, kind, id)",
        """
        CREATE TABLE resource_keys (
            kind text NOT NULL, scope text NOT NULL, name text NOT NULL, value text NOT NULL,
            resource_id text NOT NULL REFERENCES resources(id) ON DELETE CASCADE, PRIMARY KEY (kind, scope, name, value))
        """,
        "CREATE INDEX resource_keys_by_resource ON resource_keys (resource_id)",
        """
        CREATE TABLE resource_refs (
            from_id text COLLATE "C" NOT NULL REFERENCES resources(id) ON DELETE CASCADE, field text COLLATE "C" NOT NULL,
            to_id text NOT NULL REFERENCES resources(id), PRIMARY KEY (from_id, field))
        """,
        "CREATE INDEX resource_refs_by_target ON resource_refs (to_id)",
        """
        CREATE TABLE audit_log (
            id text COLLATE "C" PRIMARY KEY, at bigint NOT NULL, key_id text, tenant_id text, method text NOT NULL, target_type text,
            target_id text, outcome text NOT NULL, error_code bigint, revision bigint, changes text NOT NULL)
        """,
        "CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id)",
        "CREATE INDEX audit_log_by_key ON audit_log (key_id, id)",
        "CREATE INDEX audit_log_by_time ON audit_log (at)",
        """
        CREATE TABLE change_log (
            seq bigserial PRIMARY KEY, revision bigint NOT NULL, at bigint NOT NULL, tenant_id text NOT NULL,
            family text NOT NULL, type text NOT NULL, object_id text NOT NULL, snapshot text)
        """,
        "CREATE INDEX change_log_by_revision ON change_log (revision)",
        "CREATE TABLE change_log_state (id integer PRIMARY KEY CHECK (id = 1), compact_revision bigint NOT NULL)",
        "INSERT INTO change_log_state (id, compact_revision) VALUES (1, 0)",
        """
        CREATE FUNCTION parley_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            next_revision bigint;
            now_ms bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
            kind text := CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END;
        BEGIN
            SELECT revision + 1 INTO next_revision FROM store_revision WHERE id = 1;
            IF TG_TABLE_NAME = 'resources' THEN
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                    VALUES (next_revision, now_ms, OLD.tenant_id, OLD.kind, kind, OLD.id, NULL);
                ELSE
                    INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                    VALUES (next_revision, now_ms, NEW.tenant_id, NEW.kind, kind, NEW.id, json_build_object(
                        'fields', NEW.fields::json, 'state', NEW.state::json, 'revision', NEW.revision,
                        'created_at', NEW.created_at, 'updated_at', NEW.updated_at)::text);
                END IF;
            ELSE
                IF TG_OP = 'DELETE' THEN
                    INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                    VALUES (next_revision, now_ms, OLD.id, 'tenants', kind, OLD.id, NULL);
                ELSE
                    INSERT INTO change_log (revision, at, tenant_id, family, type, object_id, snapshot)
                    VALUES (next_revision, now_ms, NEW.id, 'tenants', kind, NEW.id, json_build_object(
                        'slug', NEW.slug, 'name', NEW.name, 'default_language', NEW.default_language, 'timezone', NEW.timezone,
                        'revision', NEW.revision, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at)::text);
                END IF;
            END IF;
            PERFORM pg_notify('parley', 'r' || next_revision);
            RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER resources_logged AFTER INSERT OR UPDATE OR DELETE ON resources FOR EACH ROW EXECUTE FUNCTION parley_log_change()",
        "CREATE TRIGGER tenants_logged AFTER INSERT OR UPDATE OR DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION parley_log_change()",
        """
        CREATE FUNCTION parley_announce_key() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('parley', 'k' || OLD.id);
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER api_keys_changed AFTER UPDATE ON api_keys FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
              OR OLD.replaced_by IS DISTINCT FROM NEW.replaced_by)
        EXECUTE FUNCTION parley_announce_key()
        """,
        "CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION parley_announce_key()",
    ]
}
