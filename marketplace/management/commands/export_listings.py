from django.core.management.base import BaseCommand

from marketplace.exchange import dump_records
from marketplace.models import Offer, Request
from marketplace.taxonomy import ListingStatus


class Command(BaseCommand):
    help = "Write listings in the exchange format (JSON Lines) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["offer", "request"], help="only this kind")
        parser.add_argument(
            "--published",
            action="store_true",
            help="only the published listings, for other exchanges to show: anonymous requests "
            "are exported without their owner's name",
        )

    def handle(self, *args, kind: str | None, published: bool, **options):
        models = {"offer": [Offer], "request": [Request], None: [Offer, Request]}[kind]
        for model in models:
            queryset = model.objects.select_related("organisation").order_by("pk")
            if published:
                queryset = queryset.filter(status=ListingStatus.PUBLISHED)
            for line in dump_records(queryset.iterator(chunk_size=500), public=published):
                self.stdout.write(line)
