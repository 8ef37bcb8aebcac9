"""The demo Techmart: running today and the next two days, whenever seed_demo runs. Re-running
moves the dates and refreshes the held booth; it creates nothing twice."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from marketplace.models import Offer
from marketplace.taxonomy import ListingStatus

from .models import (
    ACTIVE_BOOKING_STATUSES,
    ApplicationStatus,
    BookingStatus,
    Booth,
    BoothBooking,
    BoothType,
    Checkin,
    CheckinList,
    CheckinListKind,
    CheckinType,
    Edition,
    EditionStatus,
    ExhibitorApplication,
    Payment,
    PaymentProvider,
    PaymentState,
    Seminar,
    SeminarRegistration,
    SeminarRegistrationStatus,
    Ticket,
    TicketType,
    Zone,
)
from .services.booths import HOLD_DURATION
from .services.seminars import seminar_create
from .services.tickets import ticket_code_generate

SLUG = "techmart-dong-nai"
ORGANISER = "bantochuc@techmart.vn"
GATE_STAFF = "gianhang@techmart.vn"

ZONES = [
    # zone, prefix, count, type, area, price, row y
    ("Khu A – Cơ khí nông nghiệp", "A", 10, BoothType.STANDARD, "9", 12_000_000, 10),
    ("Khu B – Công nghệ sinh học, thủy sản", "B", 8, BoothType.STANDARD, "9", 12_000_000, 60),
    ("Khu C – Ngoài trời, máy lớn", "C", 4, BoothType.OUTDOOR, "36", 20_000_000, 110),
]

# organisation slug, booth code, booking status (None: no booking), application status, shows
EXHIBITORS = [
    (
        "cong-ty-co-khi-dong-nai",
        "A01",
        BookingStatus.PAID,
        ApplicationStatus.APPROVED,
        "Máy sấy lúa 10 tấn/mẻ dùng trấu, máy sấy nông sản đa năng.",
    ),
    (
        "vien-co-dien-nong-nghiep-mien-nam",
        "A10",
        BookingStatus.PAID,
        ApplicationStatus.APPROVED,
        "Dây chuyền chế biến sau thu hoạch, máy gặt đập liên hợp cỡ nhỏ.",
    ),
    (
        "dai-hoc-can-tho",
        "B01",
        BookingStatus.BOOKED,
        ApplicationStatus.APPROVED,
        "Giống lúa chịu mặn, quy trình nuôi tôm sinh thái, xử lý nước thải ao nuôi.",
    ),
    (
        "htx-nong-nghiep-tan-phu",
        "B02",
        BookingStatus.HELD,
        ApplicationStatus.APPROVED,
        "Chôm chôm, sầu riêng đạt VietGAP; mô hình chăn nuôi heo an toàn sinh học.",
    ),
    (
        "ho-nong-dan-nguyen-van-ba",
        None,
        None,
        ApplicationStatus.WAITLISTED,
        "Mô hình nuôi heo 200 con kết hợp biogas.",
    ),
]

SEMINARS = [
    # day offset, start hour, hours, title, room, speakers, capacity
    (
        0,
        9,
        2,
        "Cơ giới hóa sau thu hoạch lúa: máy sấy dùng trấu",
        "Hội trường A",
        "TS. Hoàng Văn Viện",
        120,
    ),
    (
        0,
        14,
        2,
        "Tọa đàm: nông dân gặp nhà khoa học về giống lúa chịu mặn",
        "Hội trường B",
        "PGS. Võ Thị Đại Học",
        5,
    ),
    (
        1,
        9,
        3,
        "Chuyển giao công nghệ nuôi tôm sinh thái",
        "Hội trường A",
        "PGS. Võ Thị Đại Học",
        80,
    ),
    (
        2,
        9,
        2,
        "Kết nối cung cầu công nghệ: hợp tác xã và doanh nghiệp",
        "Hội trường A",
        "Lê Văn Tổ Chức",
        150,
    ),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Thanh", "Ngọc", "Đức", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Sơn"]
PLACES = ["HTX Tân Phú", "Xã Phú Lý", "Hộ kinh doanh Bình Minh", "", "Phường Trảng Dài"]
PROVINCES = ["dong-nai", "dong-nai", "tp-ho-chi-minh", "vinh-long", "can-tho", "tay-ninh"]
INTERESTS = ["máy sấy lúa", "nuôi tôm", "giống cây trồng", "chăn nuôi heo", "năng lượng mặt trời"]
VISITORS = 200
CHECKED_IN = 30


def _local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _edition(organiser: User | None) -> Edition:
    today = timezone.localdate()
    edition, _created = Edition.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": f"Chợ Công nghệ – Thiết bị Techmart Đồng Nai {today.year}",
            "start_date": today,
            "end_date": today + dt.timedelta(days=2),
            "opens_at": dt.time(8, 0),
            "closes_at": dt.time(17, 30),
            "venue": "Trung tâm Hội chợ Triển lãm tỉnh",
            "address": "1 Đường Võ Thị Sáu, phường Trấn Biên",
            "province": "dong-nai",
            "description": (
                "Chợ công nghệ – thiết bị hằng năm của tỉnh: nhà khoa học, doanh nghiệp, hợp tác "
                "xã và nông dân gặp nhau, xem máy chạy thật và ký kết chuyển giao công nghệ."
            ),
            "status": EditionStatus.RUNNING,
            "payment_provider": PaymentProvider.MANUAL,
            "self_service_booking": True,
        },
    )
    if organiser:
        edition.organisers.add(organiser)
    return edition


def _booths(edition: Edition) -> dict[str, Booth]:
    booths = {}
    for position, (zone_name, prefix, count, booth_type, area, price, y) in enumerate(ZONES):
        zone, _created = Zone.objects.get_or_create(
            edition=edition, name=zone_name, defaults={"position": position}
        )
        size = 60 if booth_type == BoothType.OUTDOOR else 30
        for n in range(1, count + 1):
            code = f"{prefix}{n:02d}"
            corner = booth_type == BoothType.STANDARD and n in (1, count)
            booth, _created = Booth.objects.update_or_create(
                edition=edition,
                code=code,
                defaults={
                    "zone": zone,
                    "type": BoothType.CORNER if corner else booth_type,
                    "area_m2": Decimal(area) if not corner else Decimal("12"),
                    "price": price + (3_000_000 if corner else 0),
                    "has_electricity": booth_type != BoothType.OUTDOOR,
                    "chairs": 0 if booth_type == BoothType.OUTDOOR else 2,
                    "x": 10 + (n - 1) * (size + 4),
                    "y": y,
                    "width": size,
                    "height": size if booth_type != BoothType.OUTDOOR else 40,
                },
            )
            booths[code] = booth
    return booths


def _exhibitors(edition: Edition, booths: dict[str, Booth], organiser: User | None) -> None:
    for slug, code, booking_status, application_status, shows in EXHIBITORS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        owner = User.objects.filter(
            memberships__organisation=organisation, memberships__role="owner"
        ).first()
        application, _created = ExhibitorApplication.objects.update_or_create(
            edition=edition,
            organisation=organisation,
            defaults={
                "submitted_by": owner,
                "technologies": shows,
                "status": application_status,
                "decided_by": organiser,
                "decided_at": timezone.now(),
                "decision_reason": "Hết gian, sẽ báo khi có gian trống."
                if application_status == ApplicationStatus.WAITLISTED
                else "",
            },
        )
        # The marketplace demo (seeded before this one) has their published offers.
        offers = Offer.objects.filter(organisation=organisation, status=ListingStatus.PUBLISHED)
        application.offers.set(offers.order_by("pk")[:3])
        if code is None:
            continue
        booth = booths[code]
        held_until = (
            timezone.now() + HOLD_DURATION if booking_status == BookingStatus.HELD else None
        )
        active = BoothBooking.objects.filter(booth=booth, status__in=ACTIVE_BOOKING_STATUSES)
        booking = active.first()
        if booking is not None and booking.application_id != application.pk:
            continue  # someone trying the demo booked this booth: leave it to them
        if booking is None:
            # A demo hold that expired since the last run is revived rather than duplicated.
            booking = (
                BoothBooking.objects.filter(booth=booth, application=application)
                .order_by("-created_at")
                .first()
            )
        if booking is None:
            booking = BoothBooking(booth=booth, application=application, created_by=owner)
        booking.status = booking_status
        booking.price = booth.price
        booking.held_until = held_until
        booking.save()
        paid = booking.payments.filter(state=PaymentState.SUCCEEDED).exists()
        if booking_status == BookingStatus.PAID and not paid:
            payment = Payment.objects.create(
                booking=booking,
                provider=PaymentProvider.MANUAL,
                amount=booking.price,
                state=PaymentState.SUCCEEDED,
                paid_at=timezone.now(),
                recorded_by=organiser,
            )
            payment.receipt_number = f"TM{payment.paid_at:%Y}-{payment.pk:06d}"
            payment.save(update_fields=["receipt_number"])


def _visitors(edition: Edition) -> list[Ticket]:
    phones = [f"0977{n:06d}" for n in range(1, VISITORS + 1)]
    existing = set(
        Ticket.objects.filter(edition=edition, phone__in=phones).values_list("phone", flat=True)
    )
    new = []
    for n, phone in enumerate(phones):
        if phone in existing:
            continue
        name = f"{FAMILY[n % 10]} {MIDDLE[n % 8]} {GIVEN[(n * 7) % 12]}"
        new.append(
            Ticket(
                edition=edition,
                type=TicketType.VISITOR if n % 40 else TicketType.PRESS,
                code=ticket_code_generate(),
                name=name,
                phone=phone,
                email=f"khach{n + 1}@example.vn" if n % 3 == 0 else "",
                organisation_name=PLACES[n % 5],
                province=PROVINCES[n % 6],
                interests=INTERESTS[n % 5],
                share_contact=n % 2 == 0,
            )
        )
    Ticket.objects.bulk_create(new)
    return list(Ticket.objects.filter(edition=edition, phone__in=phones).order_by("phone"))


def _staff_tickets(edition: Edition) -> None:
    staff = User.objects.filter(email=GATE_STAFF).first()
    organisation = Organisation.objects.filter(slug="cong-ty-co-khi-dong-nai").first()
    if staff is None or organisation is None:
        return
    if not Ticket.objects.filter(edition=edition, user=staff, revoked_at=None).exists():
        Ticket.objects.create(
            edition=edition,
            type=TicketType.EXHIBITOR_STAFF,
            code=ticket_code_generate(),
            name=staff.full_name,
            phone=staff.phone,
            email=staff.email,
            exhibitor=organisation,
            user=staff,
        )
    vip_phone = "0900000099"
    if not Ticket.objects.filter(edition=edition, phone=vip_phone, revoked_at=None).exists():
        Ticket.objects.create(
            edition=edition,
            type=TicketType.VIP,
            code=ticket_code_generate(),
            name="Ông Trần Văn Khách Mời",
            phone=vip_phone,
            organisation_name="UBND tỉnh",
        )


def _checkin_lists(edition: Edition, organiser: User | None) -> CheckinList:
    gate, _created = CheckinList.objects.update_or_create(
        edition=edition,
        slug="cong-chinh",
        defaults={"name": "Cổng chính", "kind": CheckinListKind.GATE, "is_open": True},
    )
    vip, _created = CheckinList.objects.update_or_create(
        edition=edition,
        slug="khu-vip",
        defaults={
            "name": "Khu khách mời VIP",
            "kind": CheckinListKind.VIP,
            "allowed_types": [TicketType.VIP, TicketType.SPEAKER, TicketType.PRESS],
        },
    )
    staff = list(User.objects.filter(email__in=[GATE_STAFF, ORGANISER]))
    gate.staff.add(*staff)
    vip.staff.add(*staff)
    return gate


def _seminars(edition: Edition, organiser: User | None, visitors: list[Ticket]) -> None:
    for offset, hour, hours, title, room, speakers, capacity in SEMINARS:
        day = edition.start_date + dt.timedelta(days=offset)
        fields = {
            "room": room,
            "starts_at": _local(day, hour),
            "ends_at": _local(day, hour + hours),
            "speakers": speakers,
            "capacity": capacity,
            "description": "Miễn phí cho khách đã đăng ký tham quan.",
        }
        seminar = Seminar.objects.filter(edition=edition, title=title).first()
        if seminar is None and organiser is not None:
            seminar = seminar_create(edition=edition, organiser=organiser, title=title, **fields)
        elif seminar is not None:
            Seminar.objects.filter(pk=seminar.pk).update(**fields)
        if seminar is None:
            continue
        if capacity == 5:
            for n, ticket in enumerate(visitors[:7]):
                SeminarRegistration.objects.get_or_create(
                    seminar=seminar,
                    ticket=ticket,
                    defaults={
                        "status": SeminarRegistrationStatus.REGISTERED
                        if n < capacity
                        else SeminarRegistrationStatus.WAITLISTED
                    },
                )


def _entries(gate: CheckinList, visitors: list[Ticket], organiser: User | None) -> None:
    """A morning's worth of gate scans so the figures page has something to show."""
    if organiser is None or Checkin.objects.filter(checkin_list=gate).exists():
        return
    start = timezone.now() - dt.timedelta(hours=3)
    Checkin.objects.bulk_create(
        Checkin(
            checkin_list=gate,
            ticket=ticket,
            raw_code=ticket.code,
            type=CheckinType.ENTRY,
            result="ok",
            successful=True,
            gate="Cổng 1",
            device="demo",
            response={"http_status": 201, "body": {"status": "ok"}},
            scanned_by=organiser,
            created_at=start + dt.timedelta(minutes=6 * n),
        )
        for n, ticket in enumerate(visitors[-CHECKED_IN:])
    )


def seed(*, stdout, style) -> None:
    organiser = User.objects.filter(email=ORGANISER).first()
    edition = _edition(organiser)
    booths = _booths(edition)
    _exhibitors(edition, booths, organiser)
    visitors = _visitors(edition)
    _staff_tickets(edition)
    gate = _checkin_lists(edition, organiser)
    _seminars(edition, organiser, visitors)
    _entries(gate, visitors, organiser)
    stdout.write(style.MIGRATE_HEADING("Techmart fair"))
    stdout.write(
        f"  /techmart/{edition.slug}/ running {edition.start_date:%d/%m}–{edition.end_date:%d/%m}, "
        f"{len(booths)} booths, {len(visitors)} visitors; scanner /techmart/{edition.slug}/soat-ve/"
    )
    seed_meetings(edition=edition, organiser=organiser, stdout=stdout, style=style)


# --- B2B meetings ---------------------------------------------------------------------------

MEETING_PEOPLE = [
    # email, sectors
    ("gianhang@techmart.vn", ["mechanical", "post_harvest"]),
    ("doanhnghiep@techmart.vn", ["mechanical"]),
    ("vien@techmart.vn", ["mechanical", "post_harvest"]),
    ("daihoc@techmart.vn", ["biotech", "agriculture"]),
    ("htx@techmart.vn", ["agriculture"]),
    ("nongdan@techmart.vn", ["agriculture"]),
]


def _meeting_shift_dates(edition: Edition, programme) -> None:
    """The fair moves to today on every run; its meeting blocks and slots move with it."""
    from .models import Meeting, MeetingSlot

    first = programme.blocks.order_by("day").first()
    if first is None or first.day == edition.start_date:
        return
    delta = edition.start_date - first.day
    for block in programme.blocks.all():
        block.day += delta
        block.save(update_fields=["day"])
    # Latest first when moving later (earliest first when moving back), so no slot ever lands
    # on one not yet moved (PostgreSQL checks the no-overlap exclusion row by row).
    order = "-starts_at" if delta > dt.timedelta(0) else "starts_at"
    for slot in MeetingSlot.objects.filter(edition=edition).order_by(order):
        slot.starts_at += delta
        slot.ends_at += delta
        slot.save(update_fields=["starts_at", "ends_at"])
    for meeting in Meeting.objects.filter(edition=edition, expires_at__isnull=False):
        meeting.expires_at += delta
        meeting.save(update_fields=["expires_at"])


def _meeting_participants(edition: Edition) -> dict:
    from .services.meetings import participant_opt_in

    people = {}
    for email, sectors in MEETING_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        if not Ticket.objects.filter(edition=edition, user=user, revoked_at=None).exists():
            Ticket.objects.create(
                edition=edition,
                type=TicketType.VISITOR,
                code=ticket_code_generate(),
                name=user.full_name,
                email=user.email,
                user=user,
            )
        organisation_ids = list(user.memberships.values_list("organisation_id", flat=True))
        offers = Offer.objects.filter(
            organisation_id__in=organisation_ids, status=ListingStatus.PUBLISHED
        ).order_by("pk")[:2]
        people[email.split("@")[0]] = participant_opt_in(
            edition=edition,
            user=user,
            offers_text="; ".join(o.title for o in offers) or "Giải pháp cơ giới hóa nông nghiệp",
            seeks_text="Đối tác ứng dụng, phân phối và chuyển giao công nghệ",
            offer_ids=[o.pk for o in offers],
            sectors=sectors,
            languages=["vi"],
        )
    return people


def _meetings(edition: Edition, organiser: User) -> tuple[int, int]:
    """A programme with blocks on the first two days, tables and booths, requests in every state
    and a published schedule. Made through the services (with `now` moved where a state needs
    time to pass), so the holds, counters and tables agree with the rows."""
    from .models import Meeting, MeetingLocation, MeetingProgramme, MeetingSlot
    from .services import meetings as svc

    programme = MeetingProgramme.objects.filter(edition=edition).first()
    if programme is not None:
        _meeting_shift_dates(edition, programme)
        return programme.edition.meeting_participants.count(), edition.meetings.count()
    svc.programme_save(
        edition=edition,
        organiser=organiser,
        max_meetings_per_participant=8,
        request_expiry_minutes=2 * 24 * 60,
    )
    day1, day2 = edition.start_date, edition.start_date + dt.timedelta(days=1)
    for day, start, end, length, pause in (
        (day1, dt.time(8, 0), dt.time(10, 0), 20, 0),
        (day2, dt.time(9, 0), dt.time(11, 20), 20, 0),
        (day2, dt.time(14, 0), dt.time(16, 30), 25, 5),
    ):
        svc.block_add(
            edition=edition,
            organiser=organiser,
            day=day,
            starts_at=start,
            ends_at=end,
            slot_minutes=length,
            break_minutes=pause,
        )
    svc.tables_set(edition=edition, organiser=organiser, count=12)
    svc.booths_as_locations(edition=edition, organiser=organiser)
    p = _meeting_participants(edition)
    if len(p) < 6:
        return len(p), 0
    today = list(MeetingSlot.objects.filter(edition=edition, block__day=day1))
    later = list(MeetingSlot.objects.filter(edition=edition, block__day=day2))
    before = today[0].starts_at - dt.timedelta(hours=2)

    def accepted(requester, recipient, slot, now=None):
        meeting = svc.meeting_request(
            requester=requester,
            recipient=recipient,
            slot=slot,
            message="Rất mong được gặp anh/chị để trao đổi về hợp tác.",
            now=now,
        )
        return svc.meeting_accept(meeting=meeting, actor=recipient.user, now=now)

    held = accepted(p["nongdan"], p["gianhang"], today[0], now=before)
    svc.meeting_mark_attendance(
        meeting=held, actor=p["nongdan"].user, held=True, now=today[0].starts_at
    )
    svc.meeting_follow_up(meeting=held, actor=p["nongdan"].user, further_contact=True)
    no_show = accepted(p["htx"], p["vien"], today[1], now=before)
    svc.meeting_mark_attendance(
        meeting=no_show, actor=organiser, held=False, now=today[1].starts_at
    )
    accepted(p["daihoc"], p["doanhnghiep"], later[0])
    accepted(p["nongdan"], p["vien"], later[1])
    # No table or booth in use at that moment: accepted, waiting for the quick schedule.
    locations = MeetingLocation.objects.filter(edition=edition, is_active=True)
    in_use = list(locations.values_list("pk", flat=True))
    locations.update(is_active=False)
    accepted(p["htx"], p["nongdan"], later[2])
    MeetingLocation.objects.filter(pk__in=in_use).update(is_active=True)
    svc.meeting_request(requester=p["htx"], recipient=p["daihoc"], slot=later[3])
    svc.meeting_request(
        requester=p["vien"], recipient=p["gianhang"], message="Xin gặp lúc nào cũng được."
    )
    proposal = svc.meeting_request(requester=p["gianhang"], recipient=p["htx"], slot=later[4])
    svc.meeting_propose(meeting=proposal, actor=p["htx"].user, slot=later[5])
    declined = svc.meeting_request(requester=p["vien"], recipient=p["daihoc"], slot=later[6])
    svc.meeting_decline(meeting=declined, actor=p["daihoc"].user, reason="Trùng lịch hội thảo")
    cancelled = accepted(p["daihoc"], p["nongdan"], later[7])
    svc.meeting_cancel(meeting=cancelled, actor=p["daihoc"].user)
    svc.meeting_request(
        requester=p["nongdan"],
        recipient=p["daihoc"],
        slot=later[8],
        now=timezone.now() - dt.timedelta(days=3),
    )
    svc.meetings_expire()
    svc.programme_publish(edition=edition, organiser=organiser)
    return len(p), Meeting.objects.filter(edition=edition).count()


def seed_meetings(*, edition: Edition, organiser: User | None, stdout, style) -> None:
    if organiser is None:
        return
    people, meetings = _meetings(edition, organiser)
    stdout.write(
        f"  B2B meetings: {people} participants, {meetings} requests; "
        f"/techmart/{edition.slug}/gap-go/lich/ and /techmart/{edition.slug}/ban-to-chuc/gap-go/"
    )


def summary(*, site_url: str) -> list[str]:
    fair = f"{site_url}/techmart/{SLUG}/"
    return [
        f"  Techmart fair:        {fair}",
        f"  gate scanner:         {fair}soat-ve/ (bantochuc@techmart.vn)",
        f"  B2B meetings:         {fair}gap-go/lich/",
    ]
