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
