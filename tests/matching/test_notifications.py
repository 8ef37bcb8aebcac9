"""The bell in the navigation bar and the notifications page."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from matching.context_processors import notifications as notifications_context
from matching.models import Notification
from matching.services import notification_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/goi-y/thong-bao/"


@pytest.fixture
def user():
    return UserFactory()


def _notify(user, title, *, url="/san/cong-nghe/1/", read=False, minutes_ago=0):
    notification = notification_create(user=user, title=title, body="Chi tiết", url=url)
    created = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=created, read_at=created if read else None
    )
    return notification


def test_visitor_sees_no_bell_and_costs_no_query(django_assert_num_queries):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    context = notifications_context(request)
    with django_assert_num_queries(0):
        assert context["notifications_unread"]() == 0


def test_visitor_page_has_no_bell(client):
    html = client.get("/").content.decode()
    assert 'data-testid="notification-bell"' not in html


def test_unread_count_is_one_query_however_often_a_template_reads_it(
    user, django_assert_num_queries
):
    _notify(user, "a")
    _notify(user, "b")
    _notify(user, "c", read=True)
    _notify(UserFactory(), "someone else's")
    request = RequestFactory().get("/")
    request.user = user
    context = notifications_context(request)
    with django_assert_num_queries(1):
        assert (context["notifications_unread"](), context["notifications_unread"]()) == (2, 2)


def test_bell_shows_the_unread_count_and_links_to_the_page(client, user):
    _notify(user, "a")
    _notify(user, "b")
    _notify(user, "c", read=True)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'href="{PAGE}" data-testid="notification-bell"' in html
    assert 'aria-label="Thông báo: 2 chưa đọc"' in html
    assert 'data-testid="notification-count">2</span>' in html


def test_bell_without_unread_has_no_badge(client, user):
    _notify(user, "c", read=True)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'data-testid="notification-bell"' in html
    assert 'data-testid="notification-count"' not in html
    assert 'aria-label="Thông báo"' in html


def test_bell_caps_the_number(client, user):
    Notification.objects.bulk_create(Notification(user=user, title=str(n)) for n in range(100))
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'data-testid="notification-count">99+</span>' in html


def test_page_needs_sign_in(client):
    response = client.get(PAGE)
    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={PAGE}")


def test_page_lists_my_notifications_newest_first_with_links_through(client, user):
    old = _notify(user, "Cũ", minutes_ago=60, read=True)
    new = _notify(user, "Mới", minutes_ago=1)
    _notify(UserFactory(), "Của người khác")
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert "Của người khác" not in html
    assert html.index("Mới") < html.index("Cũ")
    assert html.count('data-testid="notification"') == 2
    assert f'href="/goi-y/thong-bao/{new.pk}/" data-testid="notification-link">Mới</a>' in html
    assert f'href="/goi-y/thong-bao/{old.pk}/" data-testid="notification-link">Cũ</a>' in html
    assert html.count('data-testid="mark-read"') == 1
    assert 'data-testid="mark-all-read"' in html


def test_page_when_empty_says_so(client, user):
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert 'data-testid="no-notifications"' in html
    assert 'data-testid="mark-all-read"' not in html


@pytest.mark.parametrize("count", [1, 5])
def test_page_query_count_is_constant(client, user, django_assert_num_queries, count):
    for n in range(count):
        _notify(user, f"n{n}")
    client.force_login(user)
    client.get(PAGE)
    # session, user, groups (navigation), the bell's unread count, page count, the page
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    assert response.content.decode().count('data-testid="notification"') == count


def test_following_a_notification_marks_it_read_and_goes_to_its_target(client, user):
    notification = _notify(user, "a", url="/san/cong-nghe/7/")
    client.force_login(user)
    response = client.get(f"{PAGE}{notification.pk}/")
    assert (response.status_code, response.url) == (302, "/san/cong-nghe/7/")
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    client.get(f"{PAGE}{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_notification_without_a_safe_target_goes_to_the_page(client, user):
    external = _notify(user, "a", url="https://evil.example/")
    empty = _notify(user, "b", url="")
    client.force_login(user)
    assert client.get(f"{PAGE}{external.pk}/").url == PAGE
    assert client.get(f"{PAGE}{empty.pk}/").url == PAGE


def test_someone_elses_notification_is_404_and_stays_unread(client, user):
    other = _notify(UserFactory(), "a")
    client.force_login(user)
    assert client.get(f"{PAGE}{other.pk}/").status_code == 404
    assert client.post(f"{PAGE}{other.pk}/da-doc/").status_code == 302
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_one_read(client, user):
    first = _notify(user, "a")
    second = _notify(user, "b")
    client.force_login(user)
    response = client.post(f"{PAGE}{first.pk}/da-doc/", {"next": f"{PAGE}?page=1"})
    assert response.url == f"{PAGE}?page=1"
    assert list(Notification.objects.filter(read_at=None).values_list("pk", flat=True)) == [
        second.pk
    ]
    assert client.get(f"{PAGE}{first.pk}/da-doc/").status_code == 405


def test_mark_all_read_only_touches_mine(client, user):
    _notify(user, "a")
    _notify(user, "b")
    other = _notify(UserFactory(), "c")
    client.force_login(user)
    response = client.post(f"{PAGE}da-doc-het/", follow=True)
    assert Notification.objects.filter(user=user, read_at=None).count() == 0
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert [str(m) for m in response.context["messages"]] == [
        "Đã đánh dấu tất cả thông báo là đã đọc."
    ]
    assert 'data-testid="notification-count"' not in response.content.decode()
    assert client.get(f"{PAGE}da-doc-het/").status_code == 405


def test_marking_read_needs_the_csrf_token(user):
    notification = _notify(user, "a")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"{PAGE}{notification.pk}/da-doc/").status_code == 403
    assert client.post(f"{PAGE}da-doc-het/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None
