import time

from django.core.management.base import BaseCommand

from matching.services import lexicon_seed, listings_reindex_all


class Command(BaseCommand):
    help = "Recompute every published listing's matching features (after a lexicon change)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reseed-lexicon",
            action="store_true",
            help="replace the lexicon table with matching/lexicon/*.tsv first",
        )

    def handle(self, *args, reseed_lexicon: bool, **options):
        if reseed_lexicon:
            count = lexicon_seed(replace=True)
            self.stdout.write(f"{count} lexicon entries loaded from the files.")
        started = time.perf_counter()
        indexed = listings_reindex_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"{indexed} listings indexed in {time.perf_counter() - started:.1f} s."
            )
        )
