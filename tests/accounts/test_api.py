import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Role
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


def test_token_endpoint_returns_a_token_that_authenticates(api):
    user = UserFactory(email="nongdan@example.vn", full_name="Nguyễn Văn Ba")
    response = api.post(TOKEN_URL, {"email": "nongdan@example.vn", "password": PASSWORD})
    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    token = response.json()["token"]
    assert len(token) == 40

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert (me.json()["id"], me.json()["full_name"]) == (user.pk, "Nguyễn Văn Ba")


@pytest.mark.parametrize("email", ["nongdan@example.vn", "khong-ton-tai@example.vn"])
def test_token_endpoint_wrong_password_gives_400_without_revealing_the_email(api, email):
    UserFactory(email="nongdan@example.vn")
    response = api.post(TOKEN_URL, {"email": email, "password": "sai"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "reason": "invalid_credentials",
        "detail": "Không thể đăng nhập bằng địa chỉ email và mật khẩu đã nhập.",
    }


def test_token_endpoint_answers_in_english_when_asked(api):
    response = api.post(
        TOKEN_URL, {"email": "x@example.vn", "password": "sai"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == (
        "Unable to sign in with the email address and password provided."
    )


def test_token_endpoint_requires_both_fields(api):
    response = api.post(TOKEN_URL, {"email": "x@example.vn"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_token_endpoint_throttles_repeated_failures_only(api):
    UserFactory(email="nongdan@example.vn")
    for _attempt in range(5):
        assert (
            api.post(TOKEN_URL, {"email": "nongdan@example.vn", "password": "sai"}).status_code
            == 400
        )
    blocked = api.post(TOKEN_URL, {"email": "nongdan@example.vn", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["reason"] == "throttled"
    cache.clear()
    assert (
        api.post(TOKEN_URL, {"email": "nongdan@example.vn", "password": PASSWORD}).status_code
        == 200
    )


def test_token_endpoint_successes_are_not_throttled(api):
    UserFactory(email="nongdan@example.vn")
    statuses = {
        api.post(TOKEN_URL, {"email": "nongdan@example.vn", "password": PASSWORD}).status_code
        for _attempt in range(8)
    }
    assert statuses == {200}


def test_me_requires_authentication(api):
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_me_lists_roles_and_organisations(api):
    organisation = OrganisationFactory(name="Viện Lúa")
    user = member_of(organisation, roles=[Role.MODERATOR])
    api.force_authenticate(user)
    data = api.get("/api/v1/me/").json()
    assert data["roles"] == ["member", "moderator"]
    assert [org["name"] for org in data["organisations"]] == ["Viện Lúa"]


def test_session_authenticated_writes_need_the_csrf_token():
    user = UserFactory()
    api = APIClient(enforce_csrf_checks=True)
    api.login(email=user.email, password=PASSWORD)
    refused = api.patch("/api/v1/me/", {"full_name": "Tên mới"}, format="json")
    assert refused.status_code == 403
    user.refresh_from_db()
    assert user.full_name != "Tên mới"

    api.get("/")  # sets the csrftoken cookie
    token = api.cookies["csrftoken"].value
    accepted = api.patch(
        "/api/v1/me/", {"full_name": "Tên mới"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200
    user.refresh_from_db()
    assert user.full_name == "Tên mới"


def test_token_authenticated_writes_need_no_csrf_token():
    user = UserFactory()
    api = APIClient(enforce_csrf_checks=True)
    token = api.post(TOKEN_URL, {"email": user.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.patch("/api/v1/me/", {"phone": "+84 912 345 678"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "0912345678"


def test_me_patch_rejects_a_bad_phone_and_changes_nothing(api):
    user = UserFactory(phone="0912345678")
    api.force_authenticate(user)
    response = api.patch(
        "/api/v1/me/", {"phone": "12345"}, format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    user.refresh_from_db()
    assert user.phone == "0912345678"


@pytest.mark.parametrize("count", [1, 5])
def test_organisation_list_api_makes_constant_queries(api, django_assert_num_queries, count):
    OrganisationFactory.create_batch(count)
    with django_assert_num_queries(2):
        response = api.get("/api/v1/organisations/")
    assert response.json()["count"] == count


def test_organisation_detail_api_by_slug(api):
    OrganisationFactory(slug="vien-lua", name="Viện Lúa", type="institute")
    data = api.get("/api/v1/organisations/vien-lua/").json()
    assert (data["name"], data["type"]) == ("Viện Lúa", "institute")
    assert api.get("/api/v1/organisations/khong-co/").status_code == 404


def test_schema_is_valid_openapi_3(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3.")
    assert "/api/v1/auth/token/:" in text


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn." not in docs.content


@pytest.mark.django_db
def test_token_authentication_answers_like_drf(client):
    from rest_framework.authtoken.models import Token

    from tests.accounts.factories import UserFactory

    user = UserFactory()
    token = Token.objects.create(user=user)
    me = client.get("/api/v1/events/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert me.status_code == 200

    bad = client.get("/api/v1/events/", HTTP_AUTHORIZATION="Token nope", HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 403  # session auth comes first, so DRF answers 403
    assert "không hợp lệ" in bad.content.decode()

    user.is_active = False
    user.save()
    inactive = client.get(
        "/api/v1/events/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert inactive.status_code == 403
    assert "inactive" in inactive.content.decode()
