import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.errors import ApplicationError
from events.models import (
    ApplicationStatus,
    BookingStatus,
    Booth,
    BoothBooking,
    BoothStatus,
    ExhibitorApplication,
)
from events.selectors import booth_plan
from events.services.booths import (
    application_approve,
    application_reject,
    application_submit,
    application_waitlist,
    booking_assign,
    booking_cancel,
    booking_hold,
    bookings_expire,
    booths_import_csv,
)
from events.tasks import bookings_expire_task
from tests.accounts.factories import OrganisationFactory, UserFactory, member_of

from .factories import ApplicationFactory, BookingFactory, BoothFactory, EditionFactory

CSV = """code,zone,type,area_m2,price,electricity,table,chairs,x,y,width,height
A01,Khu A,standard,9,12000000,1,1,2,0,0,30,30
A02,Khu A,corner,"12,5",15.000.000,yes,no,4,32,0,30,40
B01,Ngoài trời,outdoor,36,20000000,0,0,0,0,50,60,60
"""


def test_booths_import_csv_creates_then_updates(edition, organiser):
    result = booths_import_csv(edition=edition, text=CSV, organiser=organiser)

    assert (result.created, result.updated) == (3, 0)
    corner = Booth.objects.get(edition=edition, code="A02")
    assert (corner.type, str(corner.area_m2), corner.price, corner.has_table, corner.chairs) == (
        "corner",
        "12.5",
        15_000_000,
        False,
        4,
    )
    assert corner.zone.name == "Khu A"
    assert (corner.x, corner.y, corner.width, corner.height) == (32, 0, 30, 40)

    again = booths_import_csv(
        edition=edition, text=CSV.replace("12000000", "13000000"), organiser=organiser
    )
    assert (again.created, again.updated) == (0, 3)
    assert Booth.objects.get(edition=edition, code="A01").price == 13_000_000
    assert Booth.objects.filter(edition=edition).count() == 3


def test_booths_import_csv_bad_line_imports_nothing(edition, organiser):
    text = CSV + "C01,Khu C,castle,9,1,1,1,1,0,0,30,30\n"

    with pytest.raises(ApplicationError) as error:
        booths_import_csv(edition=edition, text=text, organiser=organiser)

    assert error.value.code == "invalid_csv"
    assert str(error.value.message) == "Dòng 5 của tệp CSV không hợp lệ."
    assert Booth.objects.filter(edition=edition).count() == 0


def test_booths_import_csv_needs_an_organiser_of_the_edition(edition):
    other_organiser = UserFactory(roles=["organiser"])

    with pytest.raises(ApplicationError) as error:
        booths_import_csv(edition=edition, text=CSV, organiser=other_organiser)

    assert (error.value.code, error.value.status) == ("not_allowed", 403)


def test_application_submit_by_a_member(edition):
    organisation = OrganisationFactory()
    user = member_of(organisation)
    booth = BoothFactory(edition=edition)

    application = application_submit(
        edition=edition,
        organisation=organisation,
        user=user,
        technologies="Máy sấy lúa",
        needs="Điện 3 pha",
        booth_type="corner",
        wanted_booths=[booth],
    )

    assert application.status == ApplicationStatus.SUBMITTED
    assert list(application.wanted_booths.all()) == [booth]
    with pytest.raises(ApplicationError) as error:
        application_submit(
            edition=edition, organisation=organisation, user=user, technologies="Lần hai"
        )
    assert error.value.code == "already_applied"


def test_application_submit_refuses_outsiders(edition):
    organisation = OrganisationFactory()

    with pytest.raises(ApplicationError) as error:
        application_submit(
            edition=edition, organisation=organisation, user=UserFactory(), technologies="x"
        )

    assert error.value.code == "not_allowed"


def test_application_approve_with_booth_books_it_and_emails(
    edition, organiser, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)
    booth = BoothFactory(edition=edition, code="A07")

    with pytest.raises(ApplicationError):
        booking_assign(application=application, booth=booth, organiser=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, organiser=organiser, booth=booth)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == organiser
    booking = BoothBooking.objects.get(booth=booth)
    assert (booking.status, booking.price, booking.held_until) == ("booked", 12_000_000, None)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.submitted_by.email]
    assert "Đã duyệt" in mail.outbox[0].subject
    assert "A07" in mail.outbox[0].body


def test_application_reject_needs_a_reason_and_emails_it(
    edition, organiser, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)

    with pytest.raises(ApplicationError) as error:
        application_reject(application=application, organiser=organiser, reason="  ")
    assert error.value.code == "reason_required"

    with django_capture_on_commit_callbacks(execute=True):
        application_reject(
            application=application, organiser=organiser, reason="Sản phẩm ngoài chủ đề"
        )
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (
        "rejected",
        "Sản phẩm ngoài chủ đề",
    )
    assert len(mail.outbox) == 1
    assert "Sản phẩm ngoài chủ đề" in mail.outbox[0].body


def test_application_waitlist_emails(edition, organiser, django_capture_on_commit_callbacks):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        application_waitlist(application=application, organiser=organiser, reason="Hết gian góc")

    assert ExhibitorApplication.objects.get(pk=application.pk).status == "waitlisted"
    assert len(mail.outbox) == 1
    assert "Danh sách chờ" in mail.outbox[0].subject


def test_application_decisions_need_an_organiser(edition):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)

    with pytest.raises(ApplicationError) as error:
        application_approve(application=application, organiser=application.submitted_by)

    assert error.value.status == 403
    assert len(mail.outbox) == 0


def _self_service(edition):
    edition.self_service_booking = True
    edition.save()
    application = ApplicationFactory(edition=edition)
    user = member_of(application.organisation)
    return application, user


def test_booking_hold_holds_for_fifteen_minutes(edition):
    application, user = _self_service(edition)
    booth = BoothFactory(edition=edition)
    before = timezone.now()

    booking = booking_hold(application=application, booth=booth, user=user)

    assert booking.status == BookingStatus.HELD
    assert before + dt.timedelta(minutes=15) <= booking.held_until
    assert booking.held_until <= timezone.now() + dt.timedelta(minutes=15)
    assert [item.status for item in booth_plan(edition=edition)] == [BoothStatus.HELD]


def test_booking_hold_refuses_a_taken_booth(edition):
    application, user = _self_service(edition)
    booth = BoothFactory(edition=edition)
    BookingFactory(booth=booth)

    with pytest.raises(ApplicationError) as error:
        booking_hold(application=application, booth=booth, user=user)

    assert (error.value.code, error.value.status) == ("booth_taken", 409)


def test_booking_hold_needs_self_service_and_approval(edition):
    application = ApplicationFactory(edition=edition, status=ApplicationStatus.SUBMITTED)
    user = member_of(application.organisation)
    booth = BoothFactory(edition=edition)

    with pytest.raises(ApplicationError) as closed:
        booking_hold(application=application, booth=booth, user=user)
    edition.self_service_booking = True
    edition.save()
    with pytest.raises(ApplicationError) as unapproved:
        booking_hold(application=application, booth=booth, user=user)

    assert (closed.value.code, unapproved.value.code) == ("not_open", "not_approved")


def test_booking_hold_one_at_a_time(edition):
    application, user = _self_service(edition)
    booking_hold(application=application, booth=BoothFactory(edition=edition), user=user)

    with pytest.raises(ApplicationError) as error:
        booking_hold(application=application, booth=BoothFactory(edition=edition), user=user)

    assert error.value.code == "already_holding"


def test_bookings_expire_frees_stale_holds_only(edition):
    application, user = _self_service(edition)
    stale = booking_hold(application=application, booth=BoothFactory(edition=edition), user=user)
    BoothBooking.objects.filter(pk=stale.pk).update(
        held_until=timezone.now() - dt.timedelta(seconds=1)
    )
    other = ApplicationFactory(edition=edition)
    fresh = BookingFactory(
        booth=BoothFactory(edition=edition),
        application=other,
        status=BookingStatus.HELD,
        held_until=timezone.now() + dt.timedelta(minutes=5),
    )

    assert bookings_expire_task.delay().get() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == ("expired", "held")
    assert [item.status for item in booth_plan(edition=edition)] == ["free", "held"]
    assert bookings_expire() == 0


def test_booth_constraint_refuses_a_second_active_booking(edition):
    booking = BookingFactory(booth=BoothFactory(edition=edition))

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(booth=booking.booth, status=BookingStatus.PAID)


def test_booking_cancel_frees_the_booth(edition, organiser):
    booking = BookingFactory(booth=BoothFactory(edition=edition))

    booking_cancel(booking=booking, organiser=organiser)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert [item.status for item in booth_plan(edition=edition)] == ["free"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_booking_hold_concurrent_requests_exactly_one_wins():
    edition = EditionFactory(self_service_booking=True)
    booth = BoothFactory(edition=edition)
    contenders = []
    for _ in range(8):
        application = ApplicationFactory(edition=edition)
        contenders.append((application, member_of(application.organisation)))
    barrier = threading.Barrier(len(contenders))
    outcomes = []

    def attempt(application, user):
        try:
            barrier.wait()
            booking_hold(application=application, booth=booth, user=user)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booth_taken"] * 7 + ["ok"]
    assert BoothBooking.objects.filter(booth=booth).count() == 1


def test_application_submit_links_own_published_offers_only(edition):
    from tests.marketplace.factories import OfferFactory

    organisation = OrganisationFactory()
    user = member_of(organisation)
    own = OfferFactory(organisation=organisation, title="Máy sấy lúa dùng trấu")

    with pytest.raises(ApplicationError) as foreign:
        application_submit(
            edition=edition,
            organisation=organisation,
            user=user,
            technologies="x",
            offers=[OfferFactory()],
        )
    with pytest.raises(ApplicationError) as draft:
        application_submit(
            edition=edition,
            organisation=organisation,
            user=user,
            technologies="x",
            offers=[OfferFactory(organisation=organisation, draft=True)],
        )
    application = application_submit(
        edition=edition, organisation=organisation, user=user, technologies="x", offers=[own]
    )

    assert (foreign.value.code, draft.value.code) == ("invalid", "invalid")
    assert list(application.offers.all()) == [own]
