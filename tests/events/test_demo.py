import io

from django.core.management.color import no_style
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import User
from events import demo
from events.models import (
    BoothBooking,
    Checkin,
    Edition,
    EditionStatus,
    Seminar,
    SeminarRegistration,
    Ticket,
)
from events.selectors import booth_plan
from events.services.checkin import checkin_redeem


def run_seed():
    accounts_demo.seed(stdout=io.StringIO(), style=no_style())
    demo.seed(stdout=io.StringIO(), style=no_style())


def test_demo_seed_is_running_today_and_idempotent(db):
    run_seed()
    Edition.objects.filter(slug=demo.SLUG).update(
        start_date=timezone.localdate().replace(year=2020),
        end_date=timezone.localdate().replace(year=2020),
    )
    counts = (
        Ticket.objects.count(),
        BoothBooking.objects.count(),
        Seminar.objects.count(),
        SeminarRegistration.objects.count(),
        Checkin.objects.count(),
    )

    run_seed()

    edition = Edition.objects.get(slug=demo.SLUG)
    today = timezone.localdate()
    assert (edition.start_date, (edition.end_date - today).days, edition.status) == (
        today,
        2,
        EditionStatus.RUNNING,
    )
    assert counts == (207, 4, 4, 7, 30)  # 5 of them for the B2B meeting participants
    assert (
        Ticket.objects.count(),
        BoothBooking.objects.count(),
        Seminar.objects.count(),
        SeminarRegistration.objects.count(),
        Checkin.objects.count(),
    ) == counts
    statuses = {item.status for item in booth_plan(edition=edition)}
    assert statuses == {"free", "held", "booked", "paid"}
    assert (
        edition.tickets.filter(type="visitor", user=None).count()
        + edition.tickets.filter(type="press").count()
        == 200
    )


def test_demo_gate_accepts_a_scan(db):
    run_seed()
    edition = Edition.objects.get(slug=demo.SLUG)
    ticket = edition.tickets.filter(type="visitor", checkins=None).first()

    result = checkin_redeem(
        checkin_list=edition.checkin_lists.get(slug="cong-chinh"),
        code=ticket.code,
        type="entry",
        scanner=User.objects.get(email=demo.GATE_STAFF),
    )

    assert result.body["status"] == "ok"
