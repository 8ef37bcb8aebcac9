"""The organiser's live dashboard: figures from the check-in log, the meetings and the booth lead
scans (events.selectors_live), pushed over /ws/events/<slug>/dashboard/ on connect and after
every successful gate scan or lead scan."""

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from events.models import (
    Checkin,
    CheckinType,
    LeadScan,
    Meeting,
    MeetingProgramme,
    MeetingStatus,
)
from events.selectors_live import live_dashboard
from events.services.checkin import checkin_redeem, lead_scan
from tests.accounts.factories import UserFactory, member_of
from tests.servers import run_async

from .factories import (
    ApplicationFactory,
    BookingFactory,
    BoothFactory,
    CheckinListFactory,
    EditionFactory,
    MeetingBlockFactory,
    MeetingParticipantFactory,
    MeetingProgrammeFactory,
    MeetingSlotFactory,
    TicketFactory,
)
from .realtime_helpers import close_code, communicator


def _meeting(edition, status):
    """A meeting in `status` between two new participants, in a slot of its own."""
    programme = MeetingProgramme.objects.filter(edition=edition).first()
    block = MeetingBlockFactory(programme=programme or MeetingProgrammeFactory(edition=edition))
    return Meeting.objects.create(
        edition=edition,
        requester=MeetingParticipantFactory(edition=edition),
        recipient=MeetingParticipantFactory(edition=edition),
        slot=MeetingSlotFactory(block=block),
        status=status,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )


def _scan(checkin_list, ticket, type_, at):
    Checkin.objects.create(
        checkin_list=checkin_list,
        ticket=ticket,
        raw_code=ticket.code,
        type=type_,
        result="ok",
        successful=True,
        response={},
        scanned_by=checkin_list.edition.organisers.first(),
        created_at=at,
    )


@pytest.mark.django_db
def test_live_dashboard_figures(edition):
    gate = CheckinListFactory(edition=edition)
    seminar_room = CheckinListFactory(edition=edition, kind="vip", name="VIP")
    nine = timezone.make_aware(dt.datetime.combine(edition.start_date, dt.time(9, 5)))
    inside, left, vip_only = (TicketFactory(edition=edition) for _ in range(3))
    _scan(gate, inside, CheckinType.ENTRY, nine)
    _scan(gate, left, CheckinType.ENTRY, nine + dt.timedelta(minutes=10))
    _scan(gate, left, CheckinType.EXIT, nine + dt.timedelta(hours=1))
    _scan(gate, left, CheckinType.ENTRY, nine + dt.timedelta(hours=1, minutes=5))
    _scan(gate, left, CheckinType.EXIT, nine + dt.timedelta(hours=2))
    _scan(seminar_room, vip_only, CheckinType.ENTRY, nine)
    for status in ["pending", "scheduled", "scheduled", "held", "no_show", "declined"]:
        _meeting(edition, status)
    busy = ApplicationFactory(edition=edition, organisation__name="Cơ khí Đồng Nai")
    BookingFactory(booth=BoothFactory(edition=edition, code="B07"), application=busy)
    quiet = ApplicationFactory(edition=edition, organisation__name="HTX Tân Phú")
    busy_staff = member_of(busy.organisation)
    for ticket in [inside, left, inside, inside]:
        lead_scan(
            edition=edition, exhibitor=busy.organisation, code=ticket.code, scanner=busy_staff
        )
    # The quiet exhibitor has no paid booth, so its visit is recorded directly.
    LeadScan.objects.create(edition=edition, exhibitor=quiet.organisation, ticket=vip_only)

    figures = live_dashboard(edition=edition)

    assert figures["inside_now"] == 1
    day = nine.strftime("%d/%m")
    assert figures["checkins_per_hour"] == [
        {"hour": f"{day} 09:00", "count": 2},
        {"hour": f"{day} 10:00", "count": 1},
    ]
    assert figures["meetings"] == {
        "requested": 6,
        "pending": 1,
        "accepted": 4,
        "scheduled": 2,
        "held": 1,
        "no_show": 1,
    }
    assert figures["busiest_booths"] == [
        {"exhibitor": "Cơ khí Đồng Nai", "booth": "B07", "visitors": 2, "visits": 4},
        {"exhibitor": "HTX Tân Phú", "booth": "", "visitors": 1, "visits": 1},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
def test_live_dashboard_constant_queries(edition, n, django_assert_num_queries):
    gate = CheckinListFactory(edition=edition)
    for i in range(n):
        ticket = TicketFactory(edition=edition)
        _scan(gate, ticket, CheckinType.ENTRY, timezone.now() - dt.timedelta(hours=i))
        application = ApplicationFactory(edition=edition)
        BookingFactory(booth=BoothFactory(edition=edition), application=application)
        LeadScan.objects.create(edition=edition, exhibitor=application.organisation, ticket=ticket)
        _meeting(edition, MeetingStatus.SCHEDULED)

    with django_assert_num_queries(4):
        figures = live_dashboard(edition=edition)

    assert figures["inside_now"] == n
    assert len(figures["busiest_booths"]) == n
    assert figures["meetings"]["scheduled"] == n


@pytest.mark.django_db(transaction=True)
def test_dashboard_socket_refuses_without_session_and_non_organisers():
    edition = EditionFactory(organisers=[UserFactory(roles=["organiser"])])
    other_organiser = UserFactory(roles=["organiser"])  # organises another edition only
    visitor = UserFactory()
    path = f"/ws/events/{edition.slug}/dashboard/"

    comms = [
        communicator(path),
        communicator(path, visitor),
        communicator(path, other_organiser),
        communicator("/ws/events/no-such-fair/dashboard/", visitor),
    ]

    async def scenario():
        return [await close_code(comm) for comm in comms]

    assert run_async(scenario()) == [4401, 4403, 4403, 4403]


@pytest.mark.django_db(transaction=True)
def test_dashboard_socket_pushes_figures_on_connect_and_after_scans():
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    gate = CheckinListFactory(edition=edition, staff=[organiser])
    ticket = TicketFactory(edition=edition)
    application = ApplicationFactory(edition=edition, organisation__name="Cơ khí Biên Hòa")
    BookingFactory(booth=BoothFactory(edition=edition, code="C01"), application=application)
    staff = member_of(application.organisation)

    def scan_at_gate():
        checkin_redeem(
            checkin_list=gate, code=ticket.code, type=CheckinType.ENTRY, scanner=organiser
        )

    def scan_at_booth():
        lead_scan(
            edition=edition, exhibitor=application.organisation, code=ticket.code, scanner=staff
        )

    def failed_scan():
        checkin_redeem(
            checkin_list=gate, code="NOT-A-TICKET", type=CheckinType.ENTRY, scanner=organiser
        )

    comm = communicator(f"/ws/events/{edition.slug}/dashboard/", organiser)

    async def scenario():
        connected, _ = await comm.connect(timeout=5)
        first = await comm.receive_json_from(timeout=5)
        await database_sync_to_async(scan_at_gate)()
        after_gate = await comm.receive_json_from(timeout=5)
        await database_sync_to_async(failed_scan)()
        await database_sync_to_async(scan_at_booth)()
        after_booth = await comm.receive_json_from(timeout=5)
        nothing_more = await comm.receive_nothing(timeout=0.5)
        await comm.disconnect()
        return connected, first, after_gate, after_booth, nothing_more

    connected, first, after_gate, after_booth, nothing_more = run_async(scenario())

    assert connected is True
    assert first["event"] == "dashboard"
    assert (first["payload"]["inside_now"], first["payload"]["busiest_booths"]) == (0, [])
    assert after_gate["event"] == "dashboard"
    assert after_gate["payload"]["inside_now"] == 1
    assert [h["count"] for h in after_gate["payload"]["checkins_per_hour"]] == [1]
    assert after_booth["payload"]["busiest_booths"] == [
        {"exhibitor": "Cơ khí Biên Hòa", "booth": "C01", "visitors": 1, "visits": 1}
    ]
    # The failed scan pushed nothing: the next frame was the booth scan's.
    assert nothing_more is True


@pytest.mark.django_db
def test_live_dashboard_page_for_organisers_only(client, edition, organiser):
    gate = CheckinListFactory(edition=edition)
    _scan(gate, TicketFactory(edition=edition), CheckinType.ENTRY, timezone.now())
    _meeting(edition, MeetingStatus.HELD)
    url = f"/techmart/{edition.slug}/ban-to-chuc/truc-tiep/"

    client.force_login(UserFactory(roles=["organiser"]))
    refused = client.get(url)
    client.force_login(organiser)
    page = client.get(url)

    assert refused.status_code == 403
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-ws-url="/ws/events/{edition.slug}/dashboard/"' in html
    assert '<p class="h3 mb-0" data-figure="inside_now" data-testid="live-inside-now">1</p>' in html
    assert 'data-figure="meetings.held">1</p>' in html
    assert "events/dashboard-live.js" in html
    organiser_page = client.get(f"/techmart/{edition.slug}/ban-to-chuc/").content.decode()
    assert f'href="{url}"' in organiser_page
