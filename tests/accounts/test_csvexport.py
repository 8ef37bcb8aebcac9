import io

import pytest

from accounts.csvexport import csv_cell, csv_writer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84912345678", "'+84912345678"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Máy sấy lúa", "Máy sấy lúa"),
        (-5, -5),
        (12000000, 12000000),
        (None, None),
    ],
)
def test_csv_cell_neutralises_formula_starts(value, expected):
    assert csv_cell(value) == expected


def test_csv_writer_writes_safe_rows():
    stream = io.StringIO()
    csv_writer(stream).writerow(["=1+1", "ok", 3])
    assert stream.getvalue() == "'=1+1,ok,3\r\n"
