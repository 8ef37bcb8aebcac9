"""Demo seed: index the demo's published listings so their pages show suggestions."""

from .services import listings_index_missing


def seed(*, stdout, style) -> None:
    count = listings_index_missing()
    stdout.write(style.SUCCESS(f"matching: {count} listing(s) indexed for suggestions"))
