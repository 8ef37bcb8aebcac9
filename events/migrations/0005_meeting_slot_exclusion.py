"""On PostgreSQL, no two meeting slots of an edition overlap in time (an exclusion constraint
over the slot's time range). With one occupancy row per participant and slot, this keeps anyone
from being in two meetings at once even across blocks. SQLite has no exclusion constraints;
there block_add's overlap check stands alone."""

from django.db import migrations

CONSTRAINT = "meeting_slot_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE events_meetingslot ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (edition_id WITH =, tstzrange(starts_at, ends_at) WITH &&)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE events_meetingslot DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("events", "0004_meetings")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
