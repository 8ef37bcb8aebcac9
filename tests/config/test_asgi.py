"""HTTP and websockets share one daphne process: start the real server and talk to it."""

import re

import httpx
import pytest
import websockets

from tests.servers import daphne_server, database_url_for_subprocess, run_async


@pytest.fixture(scope="module")
def daphne_url(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        env = database_url_for_subprocess()
    with daphne_server(env) as url:
        yield url


def test_daphne_serves_the_home_page_in_vietnamese(daphne_url):
    response = httpx.get(f"{daphne_url}/")
    assert response.status_code == 200
    assert response.headers["content-language"] == "vi"
    assert '<html lang="vi">' in response.text


def test_daphne_serves_healthz(daphne_url):
    response = httpx.get(f"{daphne_url}/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_daphne_serves_vendored_static_files(daphne_url):
    response = httpx.get(f"{daphne_url}/static/vendored/htmx/htmx.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        ("text/javascript", "application/javascript")
    )


async def _websocket_outcome(uri: str, origin: str) -> str:
    try:
        async with websockets.connect(uri, open_timeout=10, origin=origin) as socket:
            await socket.recv()
    except websockets.exceptions.InvalidStatus as exc:
        return f"status {exc.response.status_code}"
    except websockets.exceptions.ConnectionClosed as exc:
        return f"closed {exc.rcvd.code if exc.rcvd else None}"
    return "open"


def test_daphne_refuses_websockets_from_foreign_origins(daphne_url):
    uri = daphne_url.replace("http://", "ws://") + "/ws/anything/"
    outcome = run_async(_websocket_outcome(uri, origin="http://evil.example"))
    assert outcome == "status 403"


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_daphne_hands_form_posts_to_django_intact(daphne_url, encoding):
    # Twisted's own form parsing is off (config.server); Django must still get every field:
    # the CSRF token in the body, the language and where to go next.
    with httpx.Client(base_url=daphne_url) as client:
        page = client.get("/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        fields = {"csrfmiddlewaretoken": token, "language": "en", "next": "/healthz"}
        if encoding == "multipart":
            response = client.post("/i18n/setlang/", data=fields, files={"x": ("x.txt", b"x")})
            assert response.request.headers["content-type"].startswith("multipart/form-data")
        else:
            response = client.post("/i18n/setlang/", data=fields)
    assert response.status_code == 302
    assert response.headers["location"] == "/healthz"
    assert client.cookies["django_language"] == "en"
