import json

from django.core.management.base import BaseCommand, CommandError

from marketplace.models import Request
from marketplace.taxonomy import ListingStatus
from matching import runtime
from matching.services import listings_index_missing


class Command(BaseCommand):
    help = (
        "One JSON line per published request: "
        '{"request": external_id, "matches": [{"offer", "score", "reasons"}]}, best first.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=10, help="matches per request")
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args, top: int, language: str, **options):
        from django.db import DatabaseError, connection

        from marketplace.models import Offer
        from matching.engine.explain import render_reasons

        try:
            migrated = Offer._meta.db_table in connection.introspection.table_names()
        except DatabaseError:
            migrated = False
        if not migrated:
            raise CommandError(
                "The database has no exchange tables yet: run `make demo` (or "
                "`manage.py migrate` and load listings with `manage.py import_listings`) first."
            )
        _index_missing()
        engine = runtime.get_engine()
        requests = Request.objects.filter(status=ListingStatus.PUBLISHED).order_by("pk")
        offer_ids = dict(
            Offer.objects.filter(status=ListingStatus.PUBLISHED).values_list("pk", "external_id")
        )
        for request in requests.iterator():
            matches = engine.offers_for_request(request.pk, limit=top)
            line = {
                "request": request.external_id,
                "matches": [
                    {
                        "offer": offer_ids[m.key],
                        "score": round(m.score, 4),
                        "reasons": render_reasons(m.reasons, language),
                    }
                    for m in matches
                    if m.key in offer_ids
                ],
            }
            self.stdout.write(json.dumps(line, ensure_ascii=False))


def _index_missing() -> None:
    listings_index_missing()
