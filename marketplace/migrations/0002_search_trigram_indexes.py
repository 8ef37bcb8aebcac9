"""Trigram indexes on the folded search columns, on PostgreSQL only: they serve the
`LIKE '%word%'` filters of the search. SQLite scans the folded columns instead."""

from django.db import migrations

TABLES = ("marketplace_offer", "marketplace_request")
COLUMNS = ("search_document", "search_title")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
                f"ON {table} USING gin ({column} gin_trgm_ops)"
            )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS marketplace_expert_search_trgm "
        "ON marketplace_expert USING gin (search_document gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS marketplace_expert_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
