import pytest

from accounts.errors import ApplicationError
from events.models import CheckinListKind, SeminarRegistrationStatus
from events.services.seminars import seminar_cancel, seminar_create, seminar_register

from .factories import EditionFactory, SeminarFactory, TicketFactory


def test_seminar_create_makes_its_checkin_list(edition, organiser):
    template = SeminarFactory.build()

    seminar = seminar_create(
        edition=edition,
        organiser=organiser,
        title="Tọa đàm nông nghiệp công nghệ cao",
        room="Hội trường A",
        starts_at=template.starts_at,
        ends_at=template.ends_at,
        capacity=80,
    )

    assert seminar.checkin_list.kind == CheckinListKind.SEMINAR
    assert seminar.checkin_list.slug == f"hoi-thao-{seminar.pk}-toa-am-nong-nghiep-cong-nghe-cao"


def test_seminar_register_fills_seats_then_waiting_list(edition):
    seminar = SeminarFactory(edition=edition, capacity=2)
    tickets = [TicketFactory(edition=edition) for _ in range(4)]

    statuses = [seminar_register(seminar=seminar, ticket=t).status for t in tickets]

    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    assert seminar_register(seminar=seminar, ticket=tickets[0]).status == "registered"
    assert seminar.registrations.count() == 4


def test_seminar_cancel_moves_the_first_waiting_person_up(edition):
    seminar = SeminarFactory(edition=edition, capacity=1)
    first, second, third = (TicketFactory(edition=edition) for _ in range(3))
    seated = seminar_register(seminar=seminar, ticket=first)
    seminar_register(seminar=seminar, ticket=second)
    seminar_register(seminar=seminar, ticket=third)

    seminar_cancel(registration=seated)

    status = dict(seminar.registrations.values_list("ticket", "status"))
    assert status == {
        first.pk: SeminarRegistrationStatus.CANCELLED,
        second.pk: SeminarRegistrationStatus.REGISTERED,
        third.pk: SeminarRegistrationStatus.WAITLISTED,
    }


def test_seminar_register_other_edition_ticket_refused(edition):
    seminar = SeminarFactory(edition=edition)

    with pytest.raises(ApplicationError) as error:
        seminar_register(seminar=seminar, ticket=TicketFactory(edition=EditionFactory()))

    assert error.value.code == "wrong_event"


def test_seminar_pages_register_from_the_ticket(client, edition):
    seminar = SeminarFactory(edition=edition, capacity=1, title="Máy sấy lúa")
    ticket = TicketFactory(edition=edition)
    other = TicketFactory(edition=edition)

    response = client.post(
        f"/techmart/ve/{ticket.code}/hoi-thao/{seminar.pk}/dang-ky/", follow=True
    )
    client.post(f"/techmart/ve/{other.code}/hoi-thao/{seminar.pk}/dang-ky/")
    waiting = client.get(f"/techmart/ve/{other.code}/")

    assert "Bạn đã có chỗ tại “Máy sấy lúa”." in response.content.decode()
    assert "Máy sấy lúa (Hội trường A) · Đã đăng ký" in response.content.decode()
    assert "Máy sấy lúa (Hội trường A) · Danh sách chờ" in waiting.content.decode()
