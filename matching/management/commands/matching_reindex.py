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
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="featurizing processes (default: up to 4, one per CPU, above 5,000 listings)",
        )
        parser.add_argument(
            "--batch", type=int, default=500, help="listings per batch (one transaction each)"
        )

    def handle(self, *args, reseed_lexicon: bool, workers: int | None, batch: int, **options):
        if reseed_lexicon:
            count = lexicon_seed(replace=True)
            self.stdout.write(f"{count} lexicon entries loaded from the files.")
        started = time.perf_counter()
        indexed = listings_reindex_all(workers=workers, batch=max(1, batch))
        self.stdout.write(
            self.style.SUCCESS(
                f"{indexed} listings indexed in {time.perf_counter() - started:.1f} s."
            )
        )
