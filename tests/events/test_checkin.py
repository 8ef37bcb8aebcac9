import threading
import uuid

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import (
    BookingStatus,
    Checkin,
    CheckinListKind,
    EditionStatus,
    LeadScan,
    SeminarRegistration,
    TicketType,
)
from events.services.checkin import checkin_redeem
from events.services.tickets import ticket_revoke
from tests.accounts.factories import UserFactory, member_of

from .factories import (
    ApplicationFactory,
    BookingFactory,
    BoothFactory,
    CheckinListFactory,
    EditionFactory,
    SeminarFactory,
    TicketFactory,
)


@pytest.fixture
def gate_staff(db):
    return UserFactory(roles=["exhibitor_staff"], full_name="Nhân viên cổng")


@pytest.fixture
def gate(edition, gate_staff):
    return CheckinListFactory(edition=edition, slug="cong-chinh", staff=[gate_staff])


@pytest.fixture
def api(gate_staff):
    client = APIClient()
    client.force_authenticate(gate_staff)
    return client


def scan(api, edition, code, list_slug="cong-chinh", type="entry", nonce=None):
    return api.post(
        f"/api/v1/events/{edition.slug}/checkins/",
        {"code": code, "list": list_slug, "type": type, "nonce": nonce or uuid.uuid4().hex},
        format="json",
    )


def test_checkin_ok_then_already_checked_in(api, edition, gate):
    ticket = TicketFactory(edition=edition, name="Võ Thị Sáu", organisation_name="HTX Tân Phú")

    first = scan(api, edition, ticket.code.lower())
    second = scan(api, edition, ticket.code)

    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "ok"
    assert body["ticket"] == {
        "name": "Võ Thị Sáu",
        "type": "visitor",
        "type_display": "Khách tham quan",
        "organisation": "HTX Tân Phú",
    }
    assert second.status_code == 409
    assert second.json()["reason"] == "already_checked_in"
    assert second.json()["first_entry"] == body["first_entry"]
    assert second.json()["detail"] == "Vé này đã được soát."
    assert list(Checkin.objects.order_by("pk").values_list("result", "successful")) == [
        ("ok", True),
        ("already_checked_in", False),
    ]


def test_checkin_entry_after_exit_is_allowed(api, edition, gate):
    ticket = TicketFactory(edition=edition)

    results = [
        scan(api, edition, ticket.code, type=kind).status_code
        for kind in ("entry", "exit", "entry", "entry")
    ]

    assert results == [201, 201, 201, 409]


def test_checkin_same_nonce_returns_the_original_answer(api, edition, gate):
    ticket = TicketFactory(edition=edition)

    first = scan(api, edition, ticket.code, nonce="retry-1")
    retry = scan(api, edition, ticket.code, nonce="retry-1")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert Checkin.objects.count() == 1


@pytest.mark.parametrize(
    ("setup", "reason", "status"),
    [
        ("unknown", "invalid", 404),
        ("other_edition", "wrong_event", 409),
        ("revoked", "revoked", 409),
        ("closed_list", "not_open", 409),
        ("finished", "not_open", 409),
        ("vip_only", "not_allowed", 403),
        ("unpaid_staff", "unpaid", 409),
    ],
)
def test_checkin_refusals_are_logged(api, edition, gate, organiser, setup, reason, status):
    ticket = TicketFactory(edition=edition)
    code = ticket.code
    if setup == "unknown":
        code = "ABCDEFGHJKMNPQRSTUVWXYZ234"
    elif setup == "other_edition":
        code = TicketFactory(edition=EditionFactory()).code
    elif setup == "revoked":
        ticket_revoke(ticket=ticket, organiser=organiser)
    elif setup == "closed_list":
        gate.is_open = False
        gate.save()
    elif setup == "finished":
        edition.status = EditionStatus.FINISHED
        edition.save()
    elif setup == "vip_only":
        gate.allowed_types = [TicketType.VIP]
        gate.save()
    elif setup == "unpaid_staff":
        application = ApplicationFactory(edition=edition)
        BookingFactory(booth=BoothFactory(edition=edition), application=application)
        code = TicketFactory(
            edition=edition, type=TicketType.EXHIBITOR_STAFF, exhibitor=application.organisation
        ).code

    response = scan(api, edition, code)

    assert response.status_code == status
    assert (response.json()["status"], response.json()["reason"]) == ("error", reason)
    log = Checkin.objects.get()
    assert (log.raw_code, log.result, log.successful, log.checkin_list) == (
        code,
        reason,
        False,
        gate,
    )


def test_checkin_paid_exhibitor_staff_enters(api, edition, gate):
    application = ApplicationFactory(edition=edition)
    BookingFactory(
        booth=BoothFactory(edition=edition), application=application, status=BookingStatus.PAID
    )
    staff_ticket = TicketFactory(
        edition=edition, type=TicketType.EXHIBITOR_STAFF, exhibitor=application.organisation
    )

    response = scan(api, edition, staff_ticket.code)

    assert response.status_code == 201
    assert response.json()["ticket"]["organisation"] == application.organisation.name


def test_checkin_scanner_not_on_the_list_is_not_allowed(edition, gate):
    outsider = APIClient()
    outsider.force_authenticate(UserFactory(roles=["exhibitor_staff"]))
    ticket = TicketFactory(edition=edition)

    response = scan(outsider, edition, ticket.code)
    anonymous = scan(APIClient(), edition, ticket.code)

    assert (response.status_code, response.json()["reason"]) == (403, "not_allowed")
    assert anonymous.status_code in (401, 403)
    assert Checkin.objects.count() == 1


def test_checkin_seminar_list_needs_a_seat(api, edition, gate_staff, organiser):
    from events.services.seminars import seminar_create

    seminar = seminar_create(
        edition=edition,
        organiser=organiser,
        title="Tọa đàm máy sấy lúa",
        room="Phòng B",
        starts_at=SeminarFactory.build().starts_at,
        ends_at=SeminarFactory.build().ends_at,
        capacity=10,
    )
    seminar_list = seminar.checkin_list
    seminar_list.staff.add(gate_staff)
    seated = TicketFactory(edition=edition)
    SeminarRegistration.objects.create(seminar=seminar, ticket=seated, status="registered")
    walk_in = TicketFactory(edition=edition)

    assert seminar_list.kind == CheckinListKind.SEMINAR
    assert scan(api, edition, seated.code, list_slug=seminar_list.slug).status_code == 201
    refused = scan(api, edition, walk_in.code, list_slug=seminar_list.slug)
    assert (refused.status_code, refused.json()["reason"]) == (403, "not_allowed")


def test_checkin_with_token_auth(edition, gate, gate_staff):
    token = Token.objects.create(user=gate_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = scan(client, edition, TicketFactory(edition=edition).code)

    assert response.status_code == 201


def test_lead_scan_shares_contact_only_when_opted_in(edition):
    application = ApplicationFactory(edition=edition)
    BookingFactory(booth=BoothFactory(edition=edition), application=application)
    staff = member_of(application.organisation)
    client = APIClient()
    client.force_authenticate(staff)
    shy = TicketFactory(edition=edition, share_contact=False, email="an@example.vn")
    open_ = TicketFactory(edition=edition, share_contact=True, email="mo@example.vn")
    url = f"/api/v1/events/{edition.slug}/leads/"
    payload = {"exhibitor": application.organisation.slug}

    shy_answer = client.post(url, {**payload, "code": shy.code}, format="json")
    open_answer = client.post(url, {**payload, "code": open_.code}, format="json")
    again = client.post(url, {**payload, "code": open_.code}, format="json")

    assert shy_answer.status_code == 201
    assert shy_answer.json()["contact_shared"] is False
    assert "phone" not in shy_answer.json()["ticket"]
    assert open_answer.json()["ticket"]["email"] == "mo@example.vn"
    assert again.json()["visits"] == 2
    assert LeadScan.objects.filter(exhibitor=application.organisation).count() == 2


def test_lead_scan_refused_for_non_exhibitors(edition):
    client = APIClient()
    client.force_authenticate(UserFactory(roles=["exhibitor_staff"]))
    ticket = TicketFactory(edition=edition)
    application = ApplicationFactory(edition=edition)

    response = client.post(
        f"/api/v1/events/{edition.slug}/leads/",
        {"exhibitor": application.organisation.slug, "code": ticket.code},
        format="json",
    )

    assert (response.status_code, response.json()["reason"]) == (403, "not_allowed")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_checkin_two_gates_at_once_exactly_one_ok():
    edition = EditionFactory()
    scanners = [UserFactory(roles=["exhibitor_staff"]) for _ in range(6)]
    gate_list = CheckinListFactory(edition=edition, slug="cong-chinh", staff=scanners)
    ticket = TicketFactory(edition=edition)
    barrier = threading.Barrier(len(scanners))
    answers = []

    def gate(scanner, number):
        try:
            barrier.wait()
            result = checkin_redeem(
                checkin_list=gate_list,
                code=ticket.code,
                type="entry",
                scanner=scanner,
                nonce=f"gate-{number}",
                gate=f"Cổng {number}",
            )
            answers.append(result.body.get("reason", "ok"))
        finally:
            connection.close()

    threads = [threading.Thread(target=gate, args=(s, n)) for n, s in enumerate(scanners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == ["already_checked_in"] * 5 + ["ok"]
    assert Checkin.objects.filter(ticket=ticket, successful=True).count() == 1
    assert Checkin.objects.filter(ticket=ticket).count() == 6


@pytest.mark.postgres
def test_checkin_log_rows_cannot_be_changed_or_deleted(api, edition, gate):
    from django.db import DatabaseError, transaction

    scan(api, edition, TicketFactory(edition=edition).code)
    log = Checkin.objects.get()

    with pytest.raises(DatabaseError), transaction.atomic():
        Checkin.objects.filter(pk=log.pk).update(result="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        Checkin.objects.filter(pk=log.pk).delete()

    assert Checkin.objects.get().result == "ok"


@pytest.mark.postgres
@pytest.mark.django_db
def test_checkin_log_keeps_only_the_indexes_its_queries_use():
    # Each scan writes a row into every index of the log: no duplicates of the composite
    # (ticket, list, successful) index, and no LIKE-pattern index for the nonce.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Checkin._meta.db_table)
    indexed = sorted(
        tuple(details["columns"])
        for details in constraints.values()
        if details["index"] or details["unique"]
    )
    assert indexed == [
        ("checkin_list_id",),
        ("created_at",),
        ("id",),
        ("nonce",),
        ("scanned_by_id",),
        ("ticket_id", "checkin_list_id", "successful"),
    ]
