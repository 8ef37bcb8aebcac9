"""Every user-facing string has a Vietnamese translation (English is the msgid language)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import REPO_ROOT

COPY_IGNORE = shutil.ignore_patterns(
    ".venv", ".git", "tests", "bench", "media", "staticfiles", "test-artifacts", "*.mo", "*.pyc"
)


def _vietnamese_catalogues(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("vi/LC_MESSAGES/django.po")
        if ".venv" not in path.relative_to(root).parts
    )


def _untranslated(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            missing.append(msgid)
    return missing


def test_every_vietnamese_catalogue_is_complete():
    catalogues = _vietnamese_catalogues(REPO_ROOT)
    assert len(catalogues) >= 5
    problems = {
        str(path.relative_to(REPO_ROOT)): missing
        for path in catalogues
        if (missing := _untranslated(path))
    }
    assert problems == {}


def test_every_string_in_the_code_is_in_a_catalogue(tmp_path):
    """Run makemessages on a copy of the source: nothing new may come out untranslated."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (Debian's gettext package) is needed to extract strings")
    copy = tmp_path / "src"
    shutil.copytree(REPO_ROOT, copy, ignore=COPY_IGNORE)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=staticfiles",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    problems = {
        str(path.relative_to(copy)): missing
        for path in _vietnamese_catalogues(copy)
        if (missing := _untranslated(path))
    }
    assert problems == {}
