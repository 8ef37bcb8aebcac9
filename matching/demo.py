"""Demo seed: index the demo's published listings so their pages show suggestions."""

from .models import ListingFeatures
from .services import listings_index_missing


def seed(*, stdout, style) -> None:
    added = listings_index_missing()
    total = ListingFeatures.objects.filter(is_published=True).count()
    stdout.write(
        f"  matching: {total} published listing(s) indexed for suggestions ({added} by this step)"
    )
