"""With DEBUG off, 400, 403, 404, 500 and CSRF failures answer in the site layout and the
reader's language, with a way back; API paths answer the JSON error shape."""

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tests.accounts.factories import UserFactory


def _raise_error(request):
    raise RuntimeError("boom")


def _raise_suspicious(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"

urlpatterns = [
    path("loi/", _raise_error),
    path("api/v1/loi/", _raise_error),
    path("khong-hop-le/", _raise_suspicious),
    *site_urlpatterns,
]


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("vi", "Không tìm thấy trang"), ("en", "Page not found")],
)
def test_not_found_page_has_layout_in_reader_language(client, language, title):
    client.cookies["django_language"] = language
    response = client.get("/khong-co-trang-nay/")
    page = _page(response)
    assert response.status_code == 404
    assert f'<h1 class="h3">{title}</h1>' in page
    assert 'data-testid="error-home"' in page
    assert 'class="navbar-brand fw-bold"' in page
    assert f'<html lang="{language}">' in page


@pytest.mark.django_db
def test_permission_denied_page_has_layout(client):
    client.force_login(UserFactory(verified=True))
    response = client.get("/san/kiem-duyet/")
    page = _page(response)
    assert response.status_code == 403
    assert "Bạn không được mở trang này" in page
    assert 'data-testid="error-home"' in page


@pytest.mark.django_db
def test_api_not_found_answers_json(client):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {
        "status": "error",
        "reason": "not_found",
        "detail": "Không tìm thấy trang",
    }


@pytest.mark.django_db
def test_csrf_failure_page_has_layout_in_english():
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/i18n/setlang/", {"language": "vi"})
    page = _page(response)
    assert response.status_code == 403
    assert "This form has expired" in page
    assert 'data-testid="error-home"' in page


@pytest.mark.django_db
@pytest.mark.urls("tests.config.test_error_pages")
def test_server_error_page_has_layout_and_no_details():
    client = Client(raise_request_exception=False)
    response = client.get("/loi/")
    page = _page(response)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in page
    assert "boom" not in page
    assert 'data-testid="error-home"' in page


@pytest.mark.django_db
@pytest.mark.urls("tests.config.test_error_pages")
def test_server_error_on_api_answers_json():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/loi/")
    assert response.status_code == 500
    assert response.json() == {
        "status": "error",
        "reason": "server_error",
        "detail": "Đã có lỗi xảy ra",
    }


@pytest.mark.django_db
@pytest.mark.urls("tests.config.test_error_pages")
def test_bad_request_page_has_layout(client):
    client.cookies["django_language"] = "en"
    response = client.get("/khong-hop-le/")
    assert response.status_code == 400
    assert "The request could not be understood" in _page(response)
