from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.demo import ORGANISATIONS, USERS
from accounts.models import Membership, Organisation, User
from accounts.permissions import is_exhibitor_staff, is_moderator, is_organiser

pytestmark = pytest.mark.django_db
DEMO_EMAILS = [row[0] for row in USERS]
DEMO_ORGANISATIONS = [row[0] for row in ORGANISATIONS]


def _counts() -> dict:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "emails": EmailAddress.objects.count(),
    }


def test_seed_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert sorted(User.objects.filter(email__in=DEMO_EMAILS).values_list("email", flat=True)) == (
        sorted(DEMO_EMAILS)
    )
    assert Organisation.objects.filter(slug__in=DEMO_ORGANISATIONS).count() == len(
        DEMO_ORGANISATIONS
    )
    text = out.getvalue()
    assert "kiemduyet@techmart.vn" in text
    assert "techmart2026" in text


def test_seed_demo_creates_one_user_per_role_with_a_verified_email():
    call_command("seed_demo", stdout=StringIO())
    assert is_moderator(User.objects.get(email="kiemduyet@techmart.vn")) is True
    assert is_organiser(User.objects.get(email="bantochuc@techmart.vn")) is True
    assert is_exhibitor_staff(User.objects.get(email="gianhang@techmart.vn")) is True
    farmer = User.objects.get(email="nongdan@techmart.vn")
    assert (is_moderator(farmer), is_organiser(farmer)) == (False, False)
    assert EmailAddress.objects.filter(verified=False).count() == 0
    assert User.objects.get(email="kiemduyet@techmart.vn").check_password("techmart2026") is True


def test_seed_demo_is_quiet_and_ends_with_addresses_and_logins(settings):
    settings.SITE_URL = "http://127.0.0.1:8010"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) < 25
    assert "Content-Type:" not in out.getvalue()
    assert lines[1] == "Techmart demo is ready: http://127.0.0.1:8010/"
    assert lines[2] == "  Techmart fair:        http://127.0.0.1:8010/techmart/techmart-dong-nai/"
    assert lines[-len(USERS) - 1] == (
        "Logins (password for all: techmart2026), sign in at http://127.0.0.1:8010/accounts/login/"
    )
    assert lines[-1].split() == ["nongdan@techmart.vn", "member"]


def test_seed_demo_verbose_reports_the_listings_really_indexed():
    from matching.models import ListingFeatures

    out = StringIO()
    call_command("seed_demo", stdout=out, verbosity=2)
    indexed = ListingFeatures.objects.filter(is_published=True).count()
    assert indexed > 40
    assert f"  matching: {indexed} published listing(s) indexed for suggestions" in out.getvalue()
