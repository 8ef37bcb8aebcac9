"""Seed the admin-editable lexicon from matching/lexicon/*.tsv (only into an empty table)."""

from django.db import migrations


def seed(apps, schema_editor):
    from matching.engine.lexicon import LEXICON_DIR, read_links, read_synonyms

    LexiconEntry = apps.get_model("matching", "LexiconEntry")
    if LexiconEntry.objects.exists():
        return
    rows = [
        LexiconEntry(kind="synonym", sector=e.sector, terms=" | ".join(e.terms), position=n)
        for n, e in enumerate(read_synonyms(LEXICON_DIR / "synonyms.tsv"))
    ]
    rows += [
        LexiconEntry(
            kind="link",
            sector=e.sector,
            terms=" + ".join(e.problem),
            solutions=" | ".join(e.solutions),
            weight=e.weight,
            position=n,
        )
        for n, e in enumerate(read_links(LEXICON_DIR / "links.tsv"))
    ]
    LexiconEntry.objects.bulk_create(rows, batch_size=500)


def unseed(apps, schema_editor):
    apps.get_model("matching", "LexiconEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
