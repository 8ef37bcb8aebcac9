"""The organisers' pages for press, speaker and VIP tickets and for check-in lists and staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Checkin, CheckinList, CheckinListKind, Ticket, TicketType
from events.services.checkin import checkin_redeem
from tests.accounts.factories import UserFactory

from .factories import CheckinListFactory, EditionFactory, SeminarFactory, TicketFactory

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _base(edition) -> str:
    return f"/techmart/{edition.slug}/ban-to-chuc"


def _fair_queries(client, url: str) -> tuple[int, list[str]]:
    """The page's status and the queries it made on the fair's own tables. Session, user, role
    and whatever base.html's context processors read are other apps' business."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    tables = [
        query["sql"].split(" FROM ", 1)[1].split(" ", 1)[0].strip('"')
        for query in context.captured_queries
        if '"events_' in query["sql"].split(" WHERE ", 1)[0]
    ]
    return response, tables


def _csv(text: str, name: str = "khach-moi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- Access ---------------------------------------------------------------------------------


def test_organiser_pages_refuse_other_organisers_and_send_strangers_to_sign_in(
    client, edition, organiser
):
    gate = CheckinListFactory(edition=edition)
    ticket = TicketFactory(edition=edition, type=TicketType.PRESS)
    base = _base(edition)
    pages = [
        f"{base}/ve/",
        f"{base}/soat-ve/",
        f"{base}/ve/mau.csv",
        f"{base}/soat-ve/{gate.pk}/xoa/",
    ]
    actions = [
        (f"{base}/ve/", {"type": "press", "name": "A", "phone": "0912345678"}),
        (f"{base}/ve/nhap/", {}),
        (f"{base}/ve/{ticket.pk}/thu-hoi/", {"reissue": "1"}),
        (f"{base}/soat-ve/", {"name": "Khu VIP", "kind": "vip"}),
        (f"{base}/soat-ve/{gate.pk}/mo-dong/", {"is_open": "0"}),
        (f"{base}/soat-ve/{gate.pk}/nhan-vien/", {f"l{gate.pk}-email": organiser.email}),
        (f"{base}/soat-ve/{gate.pk}/nhan-vien/{organiser.pk}/xoa/", {}),
        (f"{base}/soat-ve/{gate.pk}/sua/", {f"e{gate.pk}-name": "Cổng phụ"}),
        (f"{base}/soat-ve/{gate.pk}/xoa/", {}),
    ]

    anonymous = [client.get(url).status_code for url in pages]
    client.force_login(UserFactory(roles=["organiser"]))
    refused = [client.get(url).status_code for url in pages]
    refused += [client.post(url, data).status_code for url, data in actions]
    client.force_login(organiser)
    allowed = [client.get(url).status_code for url in pages]

    assert anonymous == [302, 302, 302, 302]
    assert refused == [403] * 13
    assert allowed == [200, 200, 200, 200]
    assert Ticket.objects.count() == 1
    assert list(CheckinList.objects.values_list("name", "is_open")) == [("Cổng chính", True)]
    assert list(gate.staff.all()) == []


def test_organiser_dashboard_links_both_pages(client, edition, organiser):
    client.force_login(organiser)

    html = client.get(f"{_base(edition)}/").content.decode()

    assert (
        f'<a href="{_base(edition)}/ve/" data-testid="link-organiser-tickets">'
        "Vé báo chí, diễn giả và VIP</a>"
    ) in html
    assert (
        f'<a href="{_base(edition)}/soat-ve/" data-testid="link-organiser-checkin-lists">'
        "Danh sách soát vé và nhân viên</a>"
    ) in html
    assert f"<title>Ban tổ chức · {edition.name} · " in html


# --- Issuing one ticket ---------------------------------------------------------------------


def test_organiser_issues_a_press_ticket_and_it_is_emailed(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{_base(edition)}/ve/",
            {
                "type": "press",
                "name": " Phạm Thị Báo ",
                "phone": "0912 345 678",
                "email": "bao@baodongnai.vn",
                "organisation_name": "Báo Đồng Nai",
            },
            follow=True,
        )

    ticket = Ticket.objects.get()
    assert (ticket.type, ticket.name, ticket.phone, ticket.email, ticket.organisation_name) == (
        TicketType.PRESS,
        "Phạm Thị Báo",
        "0912345678",
        "bao@baodongnai.vn",
        "Báo Đồng Nai",
    )
    assert ticket.edition == edition
    assert response.redirect_chain == [(f"{_base(edition)}/ve/", 302)]
    assert (
        "Đã cấp vé Báo chí cho Phạm Thị Báo. Vé đang được gửi tới bao@baodongnai.vn."
        in response.content.decode()
    )
    assert [message.to for message in mailoutbox] == [["bao@baodongnai.vn"]]
    assert mailoutbox[0].attachments[0][0] == f"techmart-{edition.slug}.pdf"
    assert ticket.code in mailoutbox[0].body


def test_ticket_without_email_sends_nothing(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{_base(edition)}/ve/", {"type": "vip", "name": "Ông Khách", "phone": "0912345679"}
        )

    assert Ticket.objects.get().type == TicketType.VIP
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "0912345678 đã có vé của hội chợ này: Trần Văn Khách, Khách tham quan."),
        (ENGLISH, "0912345678 already holds a ticket for this fair: Trần Văn Khách, Visitor."),
    ],
)
def test_issuing_to_a_phone_that_holds_a_ticket_is_refused_in_the_users_language(
    client, edition, organiser, headers, expected
):
    TicketFactory(edition=edition, phone="0912345678", name="Trần Văn Khách")
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/ve/",
        {"type": "speaker", "name": "Diễn giả", "phone": "0912345678"},
        **headers,
    )

    assert response.status_code == 200
    assert response.context["issue_form"].non_field_errors() == [expected]
    assert Ticket.objects.filter(edition=edition).count() == 1


def test_issue_form_refuses_visitor_type_and_bad_phone(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/ve/", {"type": "visitor", "name": "A", "phone": "12345"}
    )

    errors = response.context["issue_form"].errors
    assert sorted(errors) == ["phone", "type"]
    assert errors["phone"] == [
        "Hãy nhập số di động Việt Nam, ví dụ 0912 345 678, hoặc số quốc tế có dấu + và mã quốc "
        "gia, ví dụ +44 20 7946 0958."
    ]
    assert Ticket.objects.count() == 0


def test_service_refuses_types_organisers_do_not_issue(edition, organiser):
    from accounts.errors import ApplicationError
    from events.services.organiser import issued_ticket_create
    from events.services.tickets import Attendee

    with pytest.raises(ApplicationError) as refused:
        issued_ticket_create(
            edition=edition,
            attendee=Attendee(name="A", phone="0912345678"),
            type=TicketType.VISITOR,
            organiser=organiser,
        )

    assert refused.value.code == "invalid_type"
    assert Ticket.objects.count() == 0


# --- Foreign guests' phone numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84-912-345-678", "0912345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+44 (0)20 7946-0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+33.6.12.34.56.78", "+33612345678"),
        ("+65 6123 4567", "+6561234567"),  # 10 digits
        ("+1234 5678", "+12345678"),  # 8 digits, the fewest E.164 allows here
        ("+123 456 789 012 345", "+123456789012345"),  # 15, the most
        ("", ""),
    ],
)
def test_issued_phone_normalise_keeps_one_form_per_number(raw, expected):
    from events.services.organiser import issued_phone_normalise

    assert issued_phone_normalise(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "+1234 567",  # 7 digits
        "+1234 5678 9012 3456",  # 16 digits
        "+0912345678",  # no country code starts with 0
        "+84 28 3822 1234",  # a Vietnamese landline: +84 keeps the Vietnamese mobile rule
        "0044 20 7946 0958",  # the 00 prefix instead of +
        "+44 20 ABCD 0958",
        "+44 20 7946 0958 ext 12",
        "gọi sau",
    ],
)
def test_issued_phone_normalise_refuses_what_is_not_a_number(raw):
    from django.forms import ValidationError

    from events.services.organiser import issued_phone_normalise

    with pytest.raises(ValidationError) as refused:
        issued_phone_normalise(raw)

    assert refused.value.messages == [
        "Hãy nhập số di động Việt Nam, ví dụ 0912 345 678, hoặc số quốc tế có dấu + và mã quốc "
        "gia, ví dụ +44 20 7946 0958."
    ]


def test_organiser_issues_a_speaker_ticket_to_a_foreign_number(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{_base(edition)}/ve/",
            {
                "type": "speaker",
                "name": "Dr. Jane Smith",
                "phone": "+44 (0)20 7946-0958",
                "email": "jane.smith@example.ac.uk",
                "organisation_name": "University of Reading",
            },
            follow=True,
        )

    ticket = Ticket.objects.get()
    assert (ticket.type, ticket.name, ticket.phone, ticket.email) == (
        TicketType.SPEAKER,
        "Dr. Jane Smith",
        "+442079460958",
        "jane.smith@example.ac.uk",
    )
    assert (
        "Đã cấp vé Diễn giả cho Dr. Jane Smith. Vé đang được gửi tới jane.smith@example.ac.uk."
        in response.content.decode()
    )
    assert '<td class="text-nowrap">+442079460958</td>' in response.content.decode()
    assert [message.to for message in mailoutbox] == [["jane.smith@example.ac.uk"]]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "+442079460958 đã có vé của hội chợ này: Dr. Jane Smith, Diễn giả."),
        (ENGLISH, "+442079460958 already holds a ticket for this fair: Dr. Jane Smith, Speaker."),
    ],
)
def test_a_foreign_number_written_another_way_still_holds_its_one_ticket(
    client, edition, organiser, headers, expected
):
    TicketFactory(
        edition=edition, phone="+442079460958", name="Dr. Jane Smith", type=TicketType.SPEAKER
    )
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/ve/",
        {"type": "vip", "name": "Jane Smith", "phone": "+44 20.7946.0958"},
        **headers,
    )

    assert response.context["issue_form"].non_field_errors() == [expected]
    assert list(Ticket.objects.values_list("name", "phone")) == [
        ("Dr. Jane Smith", "+442079460958")
    ]


def test_service_refuses_a_second_ticket_for_a_foreign_number(edition, organiser):
    from accounts.errors import ApplicationError
    from events.services.organiser import issued_ticket_create
    from events.services.tickets import Attendee

    first = issued_ticket_create(
        edition=edition,
        attendee=Attendee(name="Kim Min-jun", phone="+82 10-1234-5678"),
        type=TicketType.PRESS,
        organiser=organiser,
    )
    with pytest.raises(ApplicationError) as refused:
        issued_ticket_create(
            edition=edition,
            attendee=Attendee(name="Min-jun Kim", phone="+821012345678"),
            type=TicketType.VIP,
            organiser=organiser,
        )

    assert first.phone == "+821012345678"
    assert (refused.value.code, refused.value.status) == ("phone_taken", 409)
    assert list(Ticket.objects.values_list("name", "type")) == [("Kim Min-jun", "press")]


def test_csv_import_takes_foreign_numbers_and_spots_one_written_twice(client, edition, organiser):
    client.force_login(organiser)
    text = (
        "name,phone,type\n"
        "Dr. Jane Smith,+44 20 7946 0958,speaker\n"
        "Tanaka Yuki,+81 90-1234-5678,press\n"
        "Jane Smith,+44.20.7946.0958,vip\n"
        "Lê Văn Khách,0912000001,vip\n"
    )

    refused = client.post(f"{_base(edition)}/ve/nhap/", {"file": _csv(text)})
    imported = client.post(
        f"{_base(edition)}/ve/nhap/",
        {"file": _csv(text.replace("Jane Smith,+44.20.7946.0958,vip\n", ""))},
    )

    assert [(e.line, e.message) for e in refused.context["import_errors"]] == [
        (4, "+442079460958 đã có ở dòng 2 của tệp này.")
    ]
    assert imported.status_code == 302
    assert sorted(Ticket.objects.values_list("phone", "type")) == [
        ("+442079460958", "speaker"),
        ("+819012345678", "press"),
        ("0912000001", "vip"),
    ]


def test_visitor_registration_stays_vietnamese_only(client, edition):
    response = client.post(
        f"/techmart/{edition.slug}/dang-ky/", {"name": "Jane Smith", "phone": "+44 20 7946 0958"}
    )

    assert response.context["form"].errors == {
        "phone": ["Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."]
    }
    assert Ticket.objects.count() == 0


# --- Issuing from a CSV file ----------------------------------------------------------------


def test_csv_import_issues_every_row_and_emails_those_with_an_address(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    text = (
        "\ufeffHọ và tên;Số điện thoại;Email;Đơn vị;Loại vé\n"
        "Phạm Thị Báo;0912 000 001;bao@baodongnai.vn;Báo Đồng Nai;Báo chí\n"
        "TS. Lê Diễn;+84912000002;;Viện Cơ điện;speaker\n"
        "\n"
        "Ông Khách Quý;0912000003;;UBND tỉnh;\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{_base(edition)}/ve/nhap/",
            {"file": _csv(text), "default_type": "vip"},
            follow=True,
        )

    tickets = list(Ticket.objects.order_by("phone").values_list("name", "phone", "type"))
    assert tickets == [
        ("Phạm Thị Báo", "0912000001", "press"),
        ("TS. Lê Diễn", "0912000002", "speaker"),
        ("Ông Khách Quý", "0912000003", "vip"),
    ]
    assert "Đã cấp 3 vé, 1 vé gửi qua email." in response.content.decode()
    assert [message.to for message in mailoutbox] == [["bao@baodongnai.vn"]]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {},
            {
                3: "thiếu họ tên; Hãy nhập số di động Việt Nam, ví dụ 0912 345 678, hoặc số "
                "quốc tế có dấu + và mã quốc gia, ví dụ +44 20 7946 0958.",
                4: "“khach” không phải loại vé (báo chí, diễn giả hoặc VIP)",
                5: "0912000001 đã có ở dòng 2 của tệp này.",
                6: "0912999999 đã có vé của hội chợ này: Trần Văn Có Vé, Khách tham quan.",
                7: "“khong-phai-email” không phải địa chỉ email",
            },
        ),
        (
            ENGLISH,
            {
                3: "the name is missing; Enter a Vietnamese mobile number, such as 0912 345 678, "
                "or an international number with + and the country code, such as "
                "+44 20 7946 0958.",
                4: "“khach” is not a ticket type (press, speaker or VIP)",
                5: "0912000001 is already on line 2 of this file.",
                6: "0912999999 already holds a ticket for this fair: Trần Văn Có Vé, Visitor.",
                7: "“khong-phai-email” is not an email address",
            },
        ),
    ],
)
def test_csv_import_with_faulty_rows_imports_nothing_and_names_each_line(
    client, edition, organiser, mailoutbox, headers, expected
):
    TicketFactory(edition=edition, phone="0912999999", name="Trần Văn Có Vé")
    client.force_login(organiser)
    text = (
        "name,phone,email,organisation,type\n"
        "Phạm Thị Báo,0912000001,bao@baodongnai.vn,Báo Đồng Nai,press\n"
        ",123,,,press\n"
        "Lê Văn Sai Loại,0912000002,,,khach\n"
        "Trùng Số,0912000001,,,vip\n"
        "Đã Có Vé,0912999999,,,vip\n"
        "Sai Email,0912000004,khong-phai-email,,vip\n"
    )

    response = client.post(f"{_base(edition)}/ve/nhap/", {"file": _csv(text)}, **headers)

    errors = {error.line: error.message for error in response.context["import_errors"]}
    assert errors == expected
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert Ticket.objects.count() == 1
    assert mailoutbox == []


def test_csv_import_names_missing_columns(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(f"{_base(edition)}/ve/nhap/", {"file": _csv("Họ tên,Email\nA,a@b.vn\n")})

    assert [(e.line, e.message) for e in response.context["import_errors"]] == [
        (1, "Tệp thiếu cột: số điện thoại.")
    ]


def test_csv_import_needs_a_type_column_or_a_default_type(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/ve/nhap/", {"file": _csv("name,phone\nA,0912000001\n")}
    )

    assert [(e.line, e.message) for e in response.context["import_errors"]] == [
        (1, "Tệp không có cột loại vé: hãy chọn một loại vé cho mọi dòng.")
    ]
    assert Ticket.objects.count() == 0


def test_csv_import_refuses_a_file_that_is_not_utf8(client, edition, organiser):
    client.force_login(organiser)
    upload = SimpleUploadedFile("ve.csv", "name,phone\nLê,0912000001\n".encode("utf-16"))

    response = client.post(f"{_base(edition)}/ve/nhap/", {"file": upload, "default_type": "vip"})

    assert response.context["csv_form"].errors == {"file": ["Hãy lưu tệp với bảng mã UTF-8."]}
    assert Ticket.objects.count() == 0


def test_csv_template_is_a_file_the_import_accepts(client, edition, organiser):
    client.force_login(organiser)
    template = client.get(f"{_base(edition)}/ve/mau.csv")

    response = client.post(
        f"{_base(edition)}/ve/nhap/", {"file": _csv(template.content.decode("utf-8"))}
    )

    assert response.status_code == 302
    assert list(Ticket.objects.values_list("name", "type")) == [("Nguyễn Thị Lan", "press")]


# --- Listing, revoking, re-issuing ----------------------------------------------------------


def test_ticket_list_filters_by_type_and_state(client, edition, organiser):
    press = TicketFactory(edition=edition, type=TicketType.PRESS, name="Nhà báo")
    TicketFactory(edition=edition, type=TicketType.VIP, name="Khách VIP")
    revoked = TicketFactory(edition=edition, type=TicketType.PRESS, name="Nhà báo cũ")
    Ticket.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00:00Z")
    TicketFactory(edition=edition, type=TicketType.VISITOR, name="Khách thường")
    TicketFactory(edition=EditionFactory(), type=TicketType.PRESS, name="Báo hội chợ khác")
    client.force_login(organiser)
    url = f"{_base(edition)}/ve/"

    def names(query):
        return sorted(t.name for t in client.get(url, query).context["page"])

    assert names({}) == ["Khách VIP", "Nhà báo", "Nhà báo cũ"]
    assert names({"type": "press"}) == ["Nhà báo", "Nhà báo cũ"]
    assert names({"type": "press", "state": "active"}) == ["Nhà báo"]
    assert names({"state": "revoked"}) == ["Nhà báo cũ"]
    assert names({"type": "visitor"}) == ["Khách VIP", "Nhà báo", "Nhà báo cũ"]
    assert press.pk in [t.pk for t in client.get(url, {"type": "press"}).context["page"]]


@pytest.mark.parametrize("count", [1, 5])
def test_ticket_list_constant_queries(client, edition, organiser, count):
    for _n in range(count):
        old = TicketFactory(edition=edition, type=TicketType.SPEAKER)
        new = TicketFactory(edition=edition, type=TicketType.SPEAKER)
        Ticket.objects.filter(pk=old.pk).update(revoked_at=new.created_at, replaced_by=new)
    client.force_login(organiser)
    client.get(f"{_base(edition)}/ve/")

    response, tables = _fair_queries(client, f"{_base(edition)}/ve/")

    assert tables == ["events_edition", "accounts_user", "events_ticket", "events_ticket"]
    assert len(response.context["page"]) == 2 * count


def test_reissue_from_the_page_revokes_the_old_code_and_emails_the_new_one(
    client, edition, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    old = TicketFactory(edition=edition, type=TicketType.VIP, email="vip@example.vn")
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{_base(edition)}/ve/{old.pk}/thu-hoi/", {"reissue": "1"}, follow=True
        )

    old.refresh_from_db()
    new = old.replaced_by
    assert old.is_revoked is True
    assert (new.type, new.name, new.phone, new.revoked_at) == (
        TicketType.VIP,
        old.name,
        old.phone,
        None,
    )
    assert new.code != old.code
    assert [message.to for message in mailoutbox] == [["vip@example.vn"]]
    assert new.code in mailoutbox[0].body
    assert (
        f"{old.name} đã có vé mới; mã cũ sẽ bị từ chối ở các cổng. "
        "Vé đang được gửi tới vip@example.vn."
    ) in response.content.decode()
    gate = CheckinListFactory(edition=edition)
    refused = checkin_redeem(checkin_list=gate, code=old.code, type="entry", scanner=organiser)
    accepted = checkin_redeem(checkin_list=gate, code=new.code, type="entry", scanner=organiser)
    assert (refused.body["reason"], accepted.body["status"]) == ("revoked", "ok")


def test_revoke_without_reissue_and_twice(client, edition, organiser):
    ticket = TicketFactory(edition=edition, type=TicketType.PRESS)
    client.force_login(organiser)
    url = f"{_base(edition)}/ve/{ticket.pk}/thu-hoi/"

    first = client.post(url, {"reissue": "0"}, follow=True)
    second = client.post(url, {"reissue": "0"}, follow=True)

    ticket.refresh_from_db()
    assert ticket.is_revoked is True
    assert ticket.replaced_by is None
    assert Ticket.objects.count() == 1
    assert f"Đã thu hồi vé của {ticket.name}." in first.content.decode()
    assert "Vé này đã bị thu hồi trước đó." in second.content.decode()


def test_revoke_page_does_not_reach_visitor_or_other_fairs_tickets(client, edition, organiser):
    visitor = TicketFactory(edition=edition, type=TicketType.VISITOR)
    elsewhere = TicketFactory(edition=EditionFactory(organisers=[organiser]), type="press")
    client.force_login(organiser)

    codes = [
        client.post(f"{_base(edition)}/ve/{ticket.pk}/thu-hoi/", {"reissue": "1"}).status_code
        for ticket in (visitor, elsewhere)
    ]

    assert codes == [404, 404]
    assert Ticket.objects.exclude(revoked_at=None).count() == 0


# --- Check-in lists -------------------------------------------------------------------------


def test_organiser_creates_a_vip_list_with_allowed_types(client, edition, organiser):
    CheckinListFactory(edition=edition, slug="khu-vip")
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/",
        {"name": "Khu VIP", "kind": "vip", "allowed_types": ["vip", "press", "speaker"]},
        follow=True,
    )

    created = CheckinList.objects.get(edition=edition, name="Khu VIP")
    assert (created.slug, created.kind, created.allowed_types, created.is_open) == (
        "khu-vip-2",
        CheckinListKind.VIP,
        ["press", "speaker", "vip"],
        True,
    )
    assert "Đã tạo danh sách soát vé “Khu VIP”." in response.content.decode()


def test_list_form_refuses_seminar_kind_and_unknown_types(client, edition, organiser):
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/",
        {"name": "Hội thảo", "kind": "seminar", "allowed_types": ["robot"]},
    )

    assert sorted(response.context["list_form"].errors) == ["allowed_types", "kind"]
    assert CheckinList.objects.count() == 0


def test_closing_a_list_refuses_scans_and_opening_lets_them_in(client, edition, organiser):
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP, name="Khu VIP")
    ticket = TicketFactory(edition=edition, type=TicketType.VIP)
    client.force_login(organiser)
    url = f"{_base(edition)}/soat-ve/{vip.pk}/mo-dong/"

    closed = client.post(url, {"is_open": "0"}, follow=True)
    vip.refresh_from_db()
    refused = checkin_redeem(checkin_list=vip, code=ticket.code, type="entry", scanner=organiser)
    client.post(url, {"is_open": "1"})
    vip.refresh_from_db()
    accepted = checkin_redeem(checkin_list=vip, code=ticket.code, type="entry", scanner=organiser)

    assert "“Khu VIP” đã đóng: mọi lượt quét trên danh sách này đều bị từ chối." in (
        closed.content.decode()
    )
    assert (refused.body["reason"], accepted.body["status"]) == ("not_open", "ok")


def test_staff_added_by_email_can_scan_on_that_list(client, edition, organiser):
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP, name="Khu VIP")
    staff = UserFactory(roles=["exhibitor_staff"], email="tinh.nguyen@example.vn")
    ticket = TicketFactory(edition=edition, type=TicketType.PRESS)
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/nhan-vien/",
        {f"l{vip.pk}-email": "Tinh.Nguyen@Example.VN"},
        follow=True,
    )
    scan = checkin_redeem(checkin_list=vip, code=ticket.code, type="entry", scanner=staff)

    assert list(vip.staff.all()) == [staff]
    assert f"{staff.full_name} đã có thể quét vé ở “Khu VIP”." in response.content.decode()
    assert "alert-warning" not in response.content.decode()
    assert scan.body["status"] == "ok"


def test_staff_without_a_scanning_role_is_added_with_a_warning(client, edition, organiser):
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP)
    member = UserFactory(full_name="Võ Thị Tình Nguyện")
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/nhan-vien/",
        {f"l{vip.pk}-email": member.email},
        follow=True,
    )

    assert list(vip.staff.all()) == [member]
    assert (
        "Võ Thị Tình Nguyện chưa có vai trò nhân viên đơn vị triển lãm hay ban tổ chức, nên máy "
        "quét sẽ từ chối người này cho đến khi quản trị viên cấp một vai trò."
    ) in response.content.decode()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {},
            "Không có tài khoản nào dùng email ai.do@example.vn. Hãy nhờ người đó đăng ký trước.",
        ),
        (ENGLISH, "No account uses the email ai.do@example.vn. Ask the person to sign up first."),
    ],
)
def test_staff_add_with_an_unknown_email_says_so(client, edition, organiser, headers, expected):
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP)
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/nhan-vien/",
        {f"l{vip.pk}-email": "ai.do@example.vn"},
        **headers,
    )

    forms = {checkin_list.pk: form for checkin_list, form, _edit in response.context["lists"]}
    assert response.status_code == 200
    assert forms[vip.pk].errors == {"email": [expected]}
    assert expected in response.content.decode()
    assert list(vip.staff.all()) == []


def test_staff_added_twice_is_refused_and_removal_works(client, edition, organiser):
    staff = UserFactory(roles=["exhibitor_staff"])
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP, staff=[staff])
    client.force_login(organiser)

    again = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/nhan-vien/", {f"l{vip.pk}-email": staff.email}
    )
    removed = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/nhan-vien/{staff.pk}/xoa/", follow=True
    )
    scan = checkin_redeem(
        checkin_list=vip,
        code=TicketFactory(edition=edition).code,
        type="entry",
        scanner=staff,
    )

    forms = {checkin_list.pk: form for checkin_list, form, _edit in again.context["lists"]}
    assert forms[vip.pk].errors == {
        "email": [f"{staff.full_name} đã có trong nhân viên của danh sách này."]
    }
    assert list(vip.staff.all()) == []
    assert f"{staff.full_name} không còn là nhân viên của “{vip.name}”." in (
        removed.content.decode()
    )
    assert scan.body["reason"] == "not_allowed"


def test_lists_page_counts_people_inside_and_entries(client, edition, organiser):
    gate = CheckinListFactory(edition=edition, name="Cổng chính")
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP, name="Khu VIP")
    seminar = SeminarFactory(edition=edition)
    seminar_list = CheckinList.objects.create(
        edition=edition, name="Hội thảo", slug="hoi-thao", kind="seminar", seminar=seminar
    )
    left, stays, back = (TicketFactory(edition=edition) for _ in range(3))

    def scan(checkin_list, ticket, type):
        result = checkin_redeem(
            checkin_list=checkin_list, code=ticket.code, type=type, scanner=organiser
        )
        return result.body["status"]

    outcomes = [
        scan(gate, left, "entry"),
        scan(gate, left, "exit"),
        scan(gate, stays, "entry"),
        scan(gate, stays, "entry"),  # refused: already inside
        scan(gate, back, "entry"),
        scan(gate, back, "exit"),
        scan(gate, back, "entry"),
        scan(vip, stays, "entry"),
    ]
    client.force_login(organiser)

    response = client.get(f"{_base(edition)}/soat-ve/")

    counts = {
        checkin_list.slug: (checkin_list.inside, checkin_list.entries)
        for checkin_list, _staff_form, _edit_form in response.context["lists"]
    }
    assert outcomes == ["ok", "ok", "ok", "error", "ok", "ok", "ok", "ok"]
    assert counts == {gate.slug: (2, 4), vip.slug: (1, 1), seminar_list.slug: (0, 0)}
    html = response.content.decode()
    assert "Đang ở trong: 2 · Lượt vào: 4" in html
    assert "Đang ở trong: 1 · Lượt vào: 1" in html
    assert Checkin.objects.filter(successful=False).count() == 1


# --- Renaming and deleting check-in lists ---------------------------------------------------


def _scan_api(user, edition, code: str, list_slug: str):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api.post(
        f"/api/v1/events/{edition.slug}/checkins/",
        {"code": code, "list": list_slug, "type": "entry"},
        format="json",
    )


def test_lists_page_offers_each_list_filled_in_for_editing(client, edition, organiser):
    vip = CheckinListFactory(
        edition=edition, kind=CheckinListKind.VIP, name="Khu VIP", allowed_types=["vip"]
    )
    client.force_login(organiser)

    response = client.get(f"{_base(edition)}/soat-ve/")

    [(listed, _staff_form, edit_form)] = response.context["lists"]
    html = response.content.decode()
    assert listed == vip
    assert (edit_form.prefix, edit_form["name"].value(), edit_form["allowed_types"].value()) == (
        f"e{vip.pk}",
        "Khu VIP",
        ["vip"],
    )
    assert f'action="{_base(edition)}/soat-ve/{vip.pk}/sua/"' in html
    assert f'name="e{vip.pk}-name" id="id_e{vip.pk}-name" value="Khu VIP"' in html
    assert f'href="{_base(edition)}/soat-ve/{vip.pk}/xoa/" data-testid="delete-{vip.slug}"' in html


def test_renaming_a_list_keeps_its_slug_and_changes_who_may_pass(client, edition, organiser):
    vip = CheckinListFactory(
        edition=edition, kind=CheckinListKind.VIP, name="Khu VIP", slug="khu-vip"
    )
    visitor = TicketFactory(edition=edition, type=TicketType.VISITOR)
    press = TicketFactory(edition=edition, type=TicketType.PRESS)
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/{vip.pk}/sua/",
        {f"e{vip.pk}-name": "  Phòng khách quý  ", f"e{vip.pk}-allowed_types": ["press", "vip"]},
        follow=True,
    )

    vip.refresh_from_db()
    assert (vip.name, vip.slug, vip.kind, vip.allowed_types) == (
        "Phòng khách quý",
        "khu-vip",
        CheckinListKind.VIP,
        ["press", "vip"],
    )
    assert response.redirect_chain == [(f"{_base(edition)}/soat-ve/", 302)]
    assert "Đã lưu “Phòng khách quý”; trang quét vé vẫn giữ nguyên địa chỉ." in (
        response.content.decode()
    )
    assert client.get(f"/techmart/{edition.slug}/soat-ve/khu-vip/").status_code == 200
    refused = _scan_api(organiser, edition, visitor.code, "khu-vip")
    accepted = _scan_api(organiser, edition, press.code, "khu-vip")
    assert (refused.status_code, refused.json()["reason"]) == (403, "not_allowed")
    assert (accepted.status_code, accepted.json()["status"]) == (201, "ok")


def test_clearing_every_allowed_type_lets_every_ticket_pass(client, edition, organiser):
    vip = CheckinListFactory(edition=edition, kind=CheckinListKind.VIP, allowed_types=["vip"])
    client.force_login(organiser)

    client.post(f"{_base(edition)}/soat-ve/{vip.pk}/sua/", {f"e{vip.pk}-name": vip.name})

    vip.refresh_from_db()
    assert vip.allowed_types == []


def test_renaming_to_nothing_shows_the_error_in_the_open_form(client, edition, organiser):
    gate = CheckinListFactory(edition=edition, name="Cổng chính")
    client.force_login(organiser)

    response = client.post(
        f"{_base(edition)}/soat-ve/{gate.pk}/sua/",
        {f"e{gate.pk}-name": "   ", f"e{gate.pk}-allowed_types": ["robot"]},
    )

    edit_forms = {item[0].pk: item[2] for item in response.context["lists"]}
    assert response.status_code == 200
    assert sorted(edit_forms[gate.pk].errors) == ["allowed_types", "name"]
    assert '<details class="mb-2" open>' in response.content.decode()
    gate.refresh_from_db()
    assert (gate.name, gate.allowed_types) == ("Cổng chính", [])


def test_list_update_service_checks_the_organiser_and_the_name(edition, organiser):
    from accounts.errors import ApplicationError
    from events.services.organiser import checkin_list_update

    gate = CheckinListFactory(edition=edition, name="Cổng chính")
    outsider = UserFactory(roles=["organiser"])
    codes = []
    for user, name, allowed in [
        (outsider, "Cổng phụ", []),
        (organiser, " ", []),
        (organiser, "x" * 151, []),
        (organiser, "Cổng phụ", ["robot"]),
    ]:
        with pytest.raises(ApplicationError) as refused:
            checkin_list_update(checkin_list=gate, organiser=user, name=name, allowed_types=allowed)
        codes.append(refused.value.code)

    assert codes == ["not_allowed", "name_required", "name_too_long", "invalid_type"]
    gate.refresh_from_db()
    assert gate.name == "Cổng chính"


def test_delete_asks_first_on_a_page_of_its_own(client, edition, organiser):
    gate = CheckinListFactory(edition=edition, name="Cổng phụ")
    client.force_login(organiser)

    response = client.get(f"{_base(edition)}/soat-ve/{gate.pk}/xoa/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Xóa danh sách soát vé “Cổng phụ”?" in html
    assert (
        f'<form method="post" action="{_base(edition)}/soat-ve/{gate.pk}/xoa/" '
        'class="d-flex flex-wrap gap-2">'
    ) in html
    assert "Đồng ý, xóa danh sách" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert CheckinList.objects.filter(pk=gate.pk).exists() is True


def test_a_list_never_scanned_is_deleted_with_its_staff(client, edition, organiser):
    staff = UserFactory(roles=["exhibitor_staff"])
    gate = CheckinListFactory(edition=edition, name="Cổng phụ", slug="cong-phu", staff=[staff])
    ticket = TicketFactory(edition=edition)
    client.force_login(organiser)

    response = client.post(f"{_base(edition)}/soat-ve/{gate.pk}/xoa/", follow=True)
    scan = _scan_api(staff, edition, ticket.code, "cong-phu")

    assert response.redirect_chain == [(f"{_base(edition)}/soat-ve/", 302)]
    assert "Đã xóa danh sách soát vé “Cổng phụ”." in response.content.decode()
    assert CheckinList.objects.filter(edition=edition).count() == 0
    assert list(staff.checkin_lists.all()) == []
    assert (scan.status_code, scan.json()["reason"]) == (404, "unknown_list")
    assert client.get(f"{_base(edition)}/soat-ve/{gate.pk}/xoa/").status_code == 404


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {},
            "“Cổng chính” đã có lượt quét trong nhật ký soát vé, vốn được lưu giữ vĩnh viễn, nên "
            "không thể xóa danh sách. Hãy đóng danh sách thay vì xóa: khi đó mọi lượt quét trên "
            "danh sách đều bị từ chối.",
        ),
        (
            ENGLISH,
            "“Cổng chính” has scans in its check-in log, which is kept for good, so the list "
            "cannot be deleted. Close the list instead: every scan on it is then refused.",
        ),
    ],
)
def test_a_list_with_only_a_failed_scan_is_not_deleted(
    client, edition, organiser, headers, expected
):
    gate = CheckinListFactory(edition=edition, name="Cổng chính")
    failed = checkin_redeem(
        checkin_list=gate, code="KHONG-PHAI-VE", type="entry", scanner=organiser
    )
    client.force_login(organiser)

    response = client.post(f"{_base(edition)}/soat-ve/{gate.pk}/xoa/", follow=True, **headers)

    assert failed.body["reason"] == "invalid"
    assert expected in response.content.decode()
    assert list(CheckinList.objects.values_list("pk", flat=True)) == [gate.pk]
    assert list(Checkin.objects.values_list("checkin_list_id", "result")) == [(gate.pk, "invalid")]


def test_a_seminar_list_is_not_deleted_here(client, edition, organiser):
    seminar = SeminarFactory(edition=edition)
    seminar_list = CheckinList.objects.create(
        edition=edition, name="Tọa đàm", slug="hoi-thao", kind="seminar", seminar=seminar
    )
    client.force_login(organiser)

    lists_page = client.get(f"{_base(edition)}/soat-ve/").content.decode()
    confirm = client.get(f"{_base(edition)}/soat-ve/{seminar_list.pk}/xoa/").content.decode()
    response = client.post(f"{_base(edition)}/soat-ve/{seminar_list.pk}/xoa/", follow=True)

    assert 'data-testid="delete-hoi-thao"' not in lists_page
    assert 'data-testid="delete-confirm-button"' not in confirm
    assert (
        "Đây là danh sách của một hội thảo: danh sách còn chừng nào hội thảo còn. Hãy đóng danh "
        "sách nếu không ai được quét vé ở đó nữa."
    ) in confirm
    assert (
        "“Tọa đàm” là danh sách soát vé của một hội thảo: danh sách còn chừng nào hội thảo còn. "
        "Hãy đóng danh sách nếu không ai được quét vé ở đó nữa."
    ) in response.content.decode()
    assert list(CheckinList.objects.values_list("pk", flat=True)) == [seminar_list.pk]


def test_list_delete_service_checks_the_organiser(edition, organiser):
    from accounts.errors import ApplicationError
    from events.services.organiser import checkin_list_delete

    gate = CheckinListFactory(edition=edition)

    with pytest.raises(ApplicationError) as refused:
        checkin_list_delete(checkin_list=gate, organiser=UserFactory(roles=["organiser"]))

    assert (refused.value.code, refused.value.status) == ("not_allowed", 403)
    assert CheckinList.objects.count() == 1


@pytest.mark.parametrize("count", [1, 5])
def test_lists_page_constant_queries(client, edition, organiser, count):
    for _n in range(count):
        checkin_list = CheckinListFactory(
            edition=edition, staff=[UserFactory(), UserFactory()], allowed_types=["vip"]
        )
        ticket = TicketFactory(edition=edition, type=TicketType.VIP)
        checkin_redeem(checkin_list=checkin_list, code=ticket.code, type="entry", scanner=organiser)
    client.force_login(organiser)
    client.get(f"{_base(edition)}/soat-ve/")

    response, tables = _fair_queries(client, f"{_base(edition)}/soat-ve/")

    assert tables == [
        "events_edition",
        "accounts_user",  # organiser of this edition?
        "events_checkinlist",
        "accounts_user",  # the lists' staff
        "events_checkin",
    ]
    assert len(response.context["lists"]) == count
