import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from marketplace.exchange import listing_to_record, parse_lines
from marketplace.models import Offer, Request
from marketplace.services import listings_import
from marketplace.taxonomy import ListingStatus
from matching import runtime
from matching.engine.evaluate import (
    bm25_ranker,
    evaluate,
    format_report,
    labels_by_request,
    read_jsonl,
)
from matching.selectors import feedback_summary


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Load a labelled set (exchange-format listings + labels) into a throwaway database "
        "(created and migrated the way the test runner does it, then dropped), and print "
        "NDCG@10, P@5, MRR and recall@10 for the engine and for plain BM25 on accent-folded "
        "text. Nothing in the configured database is read or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", required=True)
        parser.add_argument("--labels", required=True)
        parser.add_argument(
            "--in-place",
            action="store_true",
            help=(
                "Use the configured database instead, inside a transaction that is rolled back "
                "(it must be migrated, and its own published listings take part in the ranking)."
            ),
        )

    def handle(self, *args, listings: str, labels: str, in_place: bool = False, **options):
        # Users' "useful" / "not relevant" marks live in the configured database.
        summary = self._feedback()
        if in_place:
            self._handle(listings, labels, summary)
            return
        from django.db import DEFAULT_DB_ALIAS
        from django.test.utils import setup_databases, teardown_databases

        old = setup_databases(
            verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS}, serialized_aliases=set()
        )
        try:
            self._handle(listings, labels, summary)
        finally:
            teardown_databases(old, verbosity=0)

    @staticmethod
    def _feedback() -> dict | None:
        from django.db import DatabaseError

        try:
            return feedback_summary()
        except DatabaseError:  # a fresh clone: no database yet, so no feedback either
            return None

    def _handle(self, listings: str, labels: str, summary: dict | None) -> None:
        for path in (listings, labels):
            if not Path(path).is_file():
                raise CommandError(f"no such file: {path}")
        with open(listings, encoding="utf-8-sig") as handle:
            records, errors = parse_lines(handle.read().splitlines())
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} error(s) in {listings}")
        grades = labels_by_request(read_jsonl(labels))
        logging.getLogger("celery").setLevel(logging.WARNING)  # one line per indexed listing
        results: dict = {}
        try:
            with transaction.atomic():
                # The import publishes the listings; matching's receivers index each one
                # (eager Celery: inside this transaction).
                listings_import(records=records, publish=True)
                results = self._evaluate(grades)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            runtime.reset()  # the in-memory index saw rows that no longer exist
        self.stdout.write(format_report(results))
        summary = summary or {"useful": 0, "not_relevant": 0}
        self.stdout.write(
            f"feedback stored: useful {summary['useful']}, not relevant {summary['not_relevant']}"
        )

    def _evaluate(self, grades: dict) -> dict:
        from matching.management.commands.match_export import _index_missing

        _index_missing()
        engine = runtime.get_engine()
        offers = {
            o.pk: o
            for o in Offer.objects.filter(status=ListingStatus.PUBLISHED).select_related(
                "organisation"
            )
        }
        requests = {
            r.external_id: r
            for r in Request.objects.filter(status=ListingStatus.PUBLISHED).select_related(
                "organisation"
            )
        }

        def engine_rank(external_id: str) -> list[str]:
            request = requests[external_id]
            return [
                offers[m.key].external_id
                for m in engine.offers_for_request(request.pk, limit=10, explain=False)
                if m.key in offers
            ]

        records = [listing_to_record(x) for x in (*offers.values(), *requests.values())]
        wanted = {k: v for k, v in grades.items() if k in requests}
        if len(wanted) != len(grades):
            missing = sorted(set(grades) - set(wanted))
            raise CommandError(f"labels name requests that were not loaded: {missing[:5]}")
        return {
            "engine": evaluate(engine_rank, wanted),
            "bm25": evaluate(bm25_ranker(records), wanted),
        }
