import re

import pytest
from django.core import mail

from accounts.models import User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db
STRONG = "Lua-gao-Dong-Thap-2026"


def _signup(client, **overrides):
    data = {
        "email": "bachu@example.vn",
        "password1": STRONG,
        "password2": STRONG,
        "full_name": "Bà Chủ Trại",
        "phone": "0912 345 678",
        "province": "dong-thap",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def test_signup_stores_the_profile_and_sends_a_verification_email(client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="bachu@example.vn")
    assert (user.full_name, user.phone, user.province, user.preferred_language) == (
        "Bà Chủ Trại",
        "0912345678",
        "dong-thap",
        "vi",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bachu@example.vn"]
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_login_is_refused_until_the_email_is_verified(client):
    _signup(client)
    client.logout()
    response = client.post("/accounts/login/", {"login": "bachu@example.vn", "password": STRONG})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    response = client.post("/accounts/login/", {"login": "bachu@example.vn", "password": STRONG})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="bachu@example.vn").pk


def test_signup_with_a_bad_phone_saves_nothing(client):
    response = _signup(client, phone="12345")
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert User.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("email", {"email": "khong-phai-email"}),
        ("password1", {"password1": "123456", "password2": "123456"}),
    ],
)
def test_signup_with_bad_input_saves_nothing(client, field, overrides):
    response = _signup(client, **overrides)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert User.objects.count() == 0


def test_signup_with_an_existing_email_is_refused(client):
    from tests.accounts.factories import UserFactory

    UserFactory(email="bachu@example.vn")
    response = _signup(client, email="BaChu@example.vn")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert User.objects.count() == 1


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    from tests.accounts.factories import UserFactory

    user = UserFactory(email="quenmk@example.vn")
    client.post("/accounts/password/reset/", {"email": "quenmk@example.vn"})
    assert len(mail.outbox) == 1
    link = re.search(r"(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG) is True
    assert user.check_password(PASSWORD) is False


def test_logout_ends_the_session(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_emails_name_the_platform_not_example_com(client):
    _signup(client)
    body = mail.outbox[0].body
    assert "example.com" not in body
    assert "Techmart" in body
