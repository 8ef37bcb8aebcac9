"""The scan log is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE on its rows,
so not even a bug or a hand-written query can rewrite who entered when. (TRUNCATE, used by test
teardown and the benchmark's own database, is a statement, not a row change.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION events_checkin_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events_checkin is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_checkin_append_only BEFORE UPDATE OR DELETE ON events_checkin
    FOR EACH ROW EXECUTE FUNCTION events_checkin_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS events_checkin_append_only ON events_checkin;
DROP FUNCTION IF EXISTS events_checkin_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_application_offers")]

    operations = [migrations.RunPython(create, drop)]
