import sys

from django.core.management.base import BaseCommand, CommandError

from marketplace.exchange import parse_lines
from marketplace.services import listings_import


class Command(BaseCommand):
    help = (
        "Import listings in the exchange format (JSON Lines). Every line is checked first; "
        "if any is bad, each error is printed and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file, or - for standard input")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish the listings at once instead of queueing them for review",
        )

    def handle(self, *args, file: str, publish: bool, **options):
        try:
            if file == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(file, encoding="utf-8-sig") as handle:
                    lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        records, errors = parse_lines(lines)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            self.stderr.write(f"{len(errors)} error(s); nothing was imported.")
            sys.exit(1)
        summary = listings_import(records=records, publish=publish)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.created} created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, "
                f"{summary.organisations_created} organisation(s) created."
            )
        )
