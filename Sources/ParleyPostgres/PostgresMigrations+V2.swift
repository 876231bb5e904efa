extension PostgresMigrations {
    /// The change-log trigger takes the revision of a change from the transaction's
    /// `parley.revision` setting, which the writer sets with its first logged statement of each
    /// write (``PostgresTransaction``), so that the writer can raise `store_revision` once per
    /// batch, just before the commit, instead of once per write (a round trip each). Without the
    /// setting (a parleyd of v1 still writing during an upgrade), the revision is
    /// `store_revision + 1` as before: both are right for the writer that does not set it.
    static let v2 = [
        """
        CREATE OR REPLACE FUNCTION parley_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            next_revision bigint := nullif(current_setting('parley.revision', true), '')::bigint;
            now_ms bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
            kind text := CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END;
        BEGIN
            IF next_revision IS NULL THEN
                SELECT revision + 1 INTO next_revision FROM store_revision WHERE id = 1;
            END IF;
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
        """
    ]
}
