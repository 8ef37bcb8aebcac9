import io
import math

import pypdfium2
import pytest
from django.core import mail
from PIL import Image
from pyzbar.pyzbar import decode

from accounts.errors import ApplicationError
from events.models import EditionStatus, SeminarRegistration, Ticket, TicketType
from events.services.organiser import issued_ticket_create
from events.services.tickets import (
    CODE_ALPHABET,
    Attendee,
    exhibitor_staff_add,
    group_register,
    ticket_badge_pdf,
    ticket_qr_png,
    ticket_register,
    ticket_revoke,
)
from tests.accounts.factories import UserFactory, member_of

from .factories import ApplicationFactory, EditionFactory, SeminarFactory, TicketFactory


def test_ticket_register_creates_a_ticket_with_an_unguessable_code(edition):
    ticket, created = ticket_register(
        edition=edition,
        attendee=Attendee(name="Nguyễn Văn Ba", phone="+84 912 345 678", share_contact=True),
    )

    assert created is True
    assert ticket.phone == "0912345678"
    assert ticket.type == TicketType.VISITOR
    assert len(ticket.code) == 26
    assert set(ticket.code) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert len(ticket.code) * math.log2(len(CODE_ALPHABET)) >= 128
    assert mail.outbox == []


def test_ticket_register_same_phone_returns_the_existing_ticket(edition):
    first, _created = ticket_register(
        edition=edition, attendee=Attendee(name="Nguyễn Văn Ba", phone="0912345678")
    )

    again, created = ticket_register(
        edition=edition, attendee=Attendee(name="Ba Nguyễn", phone="0912 345 678")
    )

    assert (again.pk, created) == (first.pk, False)
    assert Ticket.objects.filter(edition=edition).count() == 1
    other_edition, created_elsewhere = ticket_register(
        edition=EditionFactory(), attendee=Attendee(name="Nguyễn Văn Ba", phone="0912345678")
    )
    assert created_elsewhere is True


def test_ticket_register_rejects_a_foreign_phone(edition):
    with pytest.raises(ApplicationError) as error:
        ticket_register(edition=edition, attendee=Attendee(name="A", phone="12345"))

    assert error.value.code == "invalid_phone"
    assert Ticket.objects.count() == 0


def test_ticket_register_closed_edition(edition):
    edition.status = EditionStatus.PUBLISHED
    edition.save()

    with pytest.raises(ApplicationError) as error:
        ticket_register(edition=edition, attendee=Attendee(name="A", phone="0912345678"))

    assert (error.value.code, error.value.status) == ("not_open", 409)


def test_ticket_register_emails_the_ticket_with_the_badge(
    edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _created = ticket_register(
            edition=edition,
            attendee=Attendee(name="Lê Thị Hoa", phone="0987654321", email="hoa@example.vn"),
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hoa@example.vn"]
    assert f"/techmart/ve/{ticket.code}/" in message.body
    assert message.attachments[0][0] == f"techmart-{edition.slug}.pdf"
    assert message.attachments[0][1][:5] == b"%PDF-"


def test_group_register_up_to_fifty(edition):
    members = [Attendee(name=f"Xã viên {n}", phone=f"09120000{n:02d}") for n in range(50)]

    group, tickets = group_register(
        edition=edition,
        contact_name="Đỗ Văn Hợp Tác",
        contact_phone="0900000008",
        contact_email="",
        organisation_name="HTX Tân Phú",
        members=members,
    )

    assert len(tickets) == 50
    assert len({t.code for t in tickets}) == 50
    assert {t.organisation_name for t in tickets} == {"HTX Tân Phú"}
    assert group.tickets.count() == 50
    with pytest.raises(ApplicationError) as error:
        group_register(
            edition=edition,
            contact_name="X",
            contact_phone="0900000008",
            contact_email="",
            organisation_name="Y",
            members=members + [Attendee(name="Người thứ 51", phone="0913000051")],
        )
    assert error.value.code == "group_too_large"


def test_ticket_revoke_reissues_a_new_code_and_moves_the_agenda(edition, organiser):
    ticket = TicketFactory(edition=edition)
    seminar = SeminarFactory(edition=edition)
    SeminarRegistration.objects.create(seminar=seminar, ticket=ticket, status="registered")

    new = ticket_revoke(ticket=ticket, organiser=organiser)

    ticket.refresh_from_db()
    assert ticket.is_revoked
    assert ticket.replaced_by == new
    assert (new.name, new.phone, new.edition) == (ticket.name, ticket.phone, edition)
    assert new.code != ticket.code
    assert list(new.seminar_registrations.values_list("seminar", flat=True)) == [seminar.pk]


def test_issued_ticket_vip_by_organiser_only(edition, organiser):
    ticket = issued_ticket_create(
        edition=edition,
        attendee=Attendee(name="Bà Chủ tịch", phone="0911111111"),
        type=TicketType.VIP,
        organiser=organiser,
    )

    assert ticket.type == TicketType.VIP
    with pytest.raises(ApplicationError):
        issued_ticket_create(
            edition=edition,
            attendee=Attendee(name="X", phone="0911111112"),
            type=TicketType.VIP,
            organiser=UserFactory(),
        )


def test_exhibitor_staff_add_issues_a_staff_badge(edition):
    application = ApplicationFactory(edition=edition)
    owner = member_of(application.organisation)

    ticket = exhibitor_staff_add(
        edition=edition,
        exhibitor=application.organisation,
        attendee=Attendee(name="Phạm Minh", phone="0933333333"),
        actor=owner,
    )

    assert (ticket.type, ticket.exhibitor) == (TicketType.EXHIBITOR_STAFF, application.organisation)
    with pytest.raises(ApplicationError) as error:
        exhibitor_staff_add(
            edition=edition,
            exhibitor=application.organisation,
            attendee=Attendee(name="X", phone="0933333334"),
            actor=UserFactory(),
        )
    assert error.value.code == "not_allowed"


def test_ticket_qr_png_decodes_to_the_code(edition):
    ticket = TicketFactory(edition=edition)

    image = Image.open(io.BytesIO(ticket_qr_png(ticket=ticket)))

    assert [symbol.data.decode() for symbol in decode(image)] == [ticket.code]


def test_ticket_badge_pdf_is_a6_and_its_qr_decodes(edition):
    ticket = TicketFactory(
        edition=edition, name="Nguyễn Thị Hương", organisation_name="HTX Tân Phú"
    )

    pdf = pypdfium2.PdfDocument(ticket_badge_pdf(ticket=ticket))

    page = pdf[0]
    assert (round(page.get_width()), round(page.get_height())) == (298, 420)
    text = page.get_textpage().get_text_range()
    assert "Nguyễn Thị Hương" in text
    assert "HTX Tân Phú" in text
    image = page.render(scale=2).to_pil()
    assert [symbol.data.decode() for symbol in decode(image)] == [ticket.code]


def test_ticket_pages_by_unguessable_link(client, edition):
    ticket = TicketFactory(edition=edition)

    page = client.get(f"/techmart/ve/{ticket.code}/")
    png = client.get(f"/techmart/ve/{ticket.code}/qr.png")
    pdf = client.get(f"/techmart/ve/{ticket.code}/the.pdf")
    missing = client.get("/techmart/ve/AAAAAAAAAAAAAAAAAAAAAAAAAA/")

    assert page.status_code == 200
    assert ticket.name in page.content.decode()
    assert (png.status_code, png["Content-Type"]) == (200, "image/png")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert missing.status_code == 404
