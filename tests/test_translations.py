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


USER_FACING_DJANGO = ("forms/", "core/validators.py", "db/models/fields/", "core/paginator.py")


def _django_messages_users_see() -> list:
    """Messages of Django's forms, validators, model fields and paginator: what a form or the
    API can show a person when their input is wrong."""
    import django

    path = Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        message
        for message in catalog
        if message.id
        and any(location.startswith(USER_FACING_DJANGO) for location, _ in message.locations)
    ]


def _drf_messages() -> list[str]:
    import rest_framework
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2)}
    found = extract_from_dir(
        Path(rest_framework.__file__).parent,
        method_map=[("**/templates/**", "ignore"), ("**.py", "python")],
        keywords=keywords,
    )
    return sorted({message for _file, _line, message, _comments, _context in found})


def _vietnamese(message) -> str:
    from django.utils import translation

    with translation.override("vi"):
        if isinstance(message, tuple):
            return translation.ngettext(message[0], message[1], 2)
        return translation.gettext(message)


# The same in both languages: abbreviations, punctuation, a borrowed word.
SAME_IN_VIETNAMESE = {"Token", "IPv4", "IPv6", ":", ":?.!", "…"}


def _badly_translated(messages) -> dict:
    problems = {}
    for message in messages:
        text = _vietnamese(message)
        english = message[1] if isinstance(message, tuple) else message
        untranslated = text == english and english not in SAME_IN_VIETNAMESE
        badly_spaced = " ." in text or "  " in text or text != text.strip()
        if untranslated or badly_spaced:
            problems[english] = text
    return problems


def test_django_form_and_validation_messages_read_in_vietnamese():
    messages = [message.id for message in _django_messages_users_see()]
    assert len(messages) > 60
    assert _vietnamese("“%(pk)s” is not a valid value.") == (
        "“%(pk)s” không phải là lựa chọn hợp lệ."
    )
    assert _badly_translated(messages) == {}


def test_api_error_messages_read_in_vietnamese():
    messages = _drf_messages()
    assert "This field is required." in messages
    assert _vietnamese("This field is required.") == "Trường này là bắt buộc."
    assert _badly_translated(messages) == {}
