"""CSV files that spreadsheets open safely.

Excel and LibreOffice run a cell that starts with =, +, - or @ (or a tab or carriage return
followed by one) as a formula: a listing title such as ``=HYPERLINK("http://evil", "x")``
would become a link in an organiser's spreadsheet. OWASP's advice is to prefix such a cell
with a single quote, which the spreadsheet shows as text. Numbers are written as numbers:
only strings are touched, so -5 stays a number while "-5" becomes "'-5"."""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows pass through csv_cell."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> SafeWriter:
    return SafeWriter(stream, **options)
