import datetime as dt

import factory
from django.utils import timezone

from events.models import (
    ApplicationStatus,
    BookingStatus,
    Booth,
    BoothBooking,
    CheckinList,
    CheckinListKind,
    Edition,
    EditionStatus,
    ExhibitorApplication,
    Seminar,
    Ticket,
    TicketType,
)
from events.services.tickets import ticket_code_generate
from tests.accounts.factories import OrganisationFactory, UserFactory


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Techmart Đồng Nai {2026 + n}")
    slug = factory.Sequence(lambda n: f"techmart-{2026 + n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=2))
    opens_at = dt.time(8, 0)
    closes_at = dt.time(17, 0)
    venue = "Trung tâm Hội chợ Triển lãm"
    address = "1 Đường Võ Thị Sáu, phường Thống Nhất"
    province = "dong-nai"
    status = EditionStatus.RUNNING

    @factory.post_generation
    def organisers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisers.set(extracted)


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"A{n + 1:02d}")
    area_m2 = 9
    price = 12_000_000
    x = factory.Sequence(lambda n: (n % 10) * 32)
    y = factory.Sequence(lambda n: (n // 10) * 32)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitorApplication

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    technologies = "Máy sấy lúa 10 tấn/mẻ"
    status = ApplicationStatus.APPROVED


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoothBooking

    booth = factory.SubFactory(BoothFactory)
    application = factory.SubFactory(
        ApplicationFactory, edition=factory.SelfAttribute("..booth.edition")
    )
    status = BookingStatus.BOOKED
    price = factory.LazyAttribute(lambda o: o.booth.price)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    edition = factory.SubFactory(EditionFactory)
    type = TicketType.VISITOR
    code = factory.LazyFunction(ticket_code_generate)
    name = factory.Sequence(lambda n: f"Trần Văn Khách {n}")
    phone = factory.Sequence(lambda n: f"098{n:07d}")
    organisation_name = "HTX Tân Phú"


class CheckinListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckinList
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    name = "Cổng chính"
    slug = factory.Sequence(lambda n: f"cong-{n}")
    kind = CheckinListKind.GATE

    @factory.post_generation
    def staff(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.staff.set(extracted)


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Tọa đàm cơ giới hóa sau thu hoạch {n}")
    room = "Hội trường A"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    capacity = 2


# --- B2B meetings ---------------------------------------------------------------------------

from events.models import (  # noqa: E402
    MeetingBlock,
    MeetingLocation,
    MeetingParticipant,
    MeetingProgramme,
    MeetingSlot,
)


class MeetingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingProgramme

    edition = factory.SubFactory(EditionFactory)
    max_meetings_per_participant = 5
    request_expiry_minutes = 24 * 60


class MeetingBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingBlock

    programme = factory.SubFactory(MeetingProgrammeFactory)
    day = factory.LazyAttribute(lambda o: o.programme.edition.start_date + dt.timedelta(days=1))
    starts_at = dt.time(9, 0)
    ends_at = dt.time(10, 0)
    slot_minutes = 20


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    """A 20-minute slot from the block's start, each one made by the factory 20 minutes after the
    previous one, so default slots never overlap (PostgreSQL refuses overlapping slots of an
    edition). Tests that need a block's generated slots call events.services.meetings.block_add.
    """

    class Meta:
        model = MeetingSlot

    block = factory.SubFactory(MeetingBlockFactory)
    edition = factory.SelfAttribute("block.programme.edition")
    starts_at = factory.LazyAttributeSequence(
        lambda o, n: (
            timezone.make_aware(dt.datetime.combine(o.block.day, o.block.starts_at))
            + dt.timedelta(minutes=20 * n)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=20))


class MeetingLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingLocation

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    edition = factory.SubFactory(EditionFactory)
    ticket = factory.SubFactory(
        TicketFactory,
        edition=factory.SelfAttribute("..edition"),
        user=factory.SelfAttribute("..user"),
    )
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    display_name = factory.Sequence(lambda n: f"Nguyễn Văn Gặp {n}")
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name)
    offers_text = "Máy sấy nông sản"
    seeks_text = "Đối tác phân phối"
    max_meetings = 5


def opted_in_participant(edition, *, organisation=None, ticket_type=TicketType.VISITOR, **profile):
    """A member of an organisation holding a ticket, opted in through the service."""
    from accounts.models import MembershipRole
    from events.services.meetings import participant_opt_in
    from tests.accounts.factories import member_of

    organisation = organisation or OrganisationFactory()
    user = member_of(organisation, MembershipRole.OWNER)
    TicketFactory(
        edition=edition,
        user=user,
        type=ticket_type,
        name=user.full_name,
        exhibitor=organisation if ticket_type == TicketType.EXHIBITOR_STAFF else None,
    )
    return participant_opt_in(edition=edition, user=user, **profile)


def meeting_programme_with_slots(
    edition, organiser, *, tables=2, slot_minutes=20, ends_at=dt.time(10, 0), **settings
):
    """A programme with one block tomorrow 09:00–ends_at and `tables` numbered tables."""
    from events.services.meetings import block_add, programme_save, tables_set

    programme = programme_save(edition=edition, organiser=organiser, **settings)
    block_add(
        edition=edition,
        organiser=organiser,
        day=edition.start_date + dt.timedelta(days=1),
        starts_at=dt.time(9, 0),
        ends_at=ends_at,
        slot_minutes=slot_minutes,
    )
    tables_set(edition=edition, organiser=organiser, count=tables)
    return programme
