"""Compile every gettext catalogue of the project (.po -> .mo) in pure Python, so a fresh machine
needs no gettext tools. Fuzzy and empty entries are left out, as Django's compilemessages does.
Exits 1 with the file and line when a catalogue cannot be read."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "staticfiles", ".git"}


def catalogues() -> list[Path]:
    found = []
    for path in ROOT.rglob("LC_MESSAGES/*.po"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            found.append(path)
    return sorted(found)


def main() -> int:
    failed = False
    for po_path in catalogues():
        try:
            with po_path.open("rb") as handle:
                catalog = read_po(handle, abort_invalid=True)
        except PoFileError as error:
            print(f"{po_path.relative_to(ROOT)}: {error}", file=sys.stderr)
            failed = True
            continue
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
