import pytest

from tests.accounts.factories import UserFactory

from .factories import EditionFactory


@pytest.fixture
def organiser(db):
    return UserFactory(roles=["organiser"], full_name="Lê Văn Tổ Chức")


@pytest.fixture
def edition(organiser):
    return EditionFactory(organisers=[organiser])


import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402

WEBHOOK_SECRET = "whsec_techmart_test_secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    """A real Stripe-compatible server on a free loopback port for the whole session."""
    executable = Path(sys.executable).with_name("localstripe")
    port = free_port()
    process = subprocess.Popen(
        [str(executable), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{url}/js.stripe.com/v3/", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("localstripe did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    settings.STRIPE_SECRET_KEY = "sk_test_techmart"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_techmart"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    return settings


@pytest.fixture
def stripe_webhook(stripe_settings, live_server, localstripe_url):
    """localstripe delivers signed webhooks to the live test server."""
    webhook_url = f"{live_server.url}/payments/stripe/webhook/"
    response = httpx.post(
        f"{localstripe_url}/_config/webhooks/techmart",
        data={"url": webhook_url, "secret": WEBHOOK_SECRET},
    )
    assert response.status_code == 200
    return webhook_url


def card_payment_method(client, number: str = "4242424242424242") -> str:
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        }
    )
    return method.id


def wait_for(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.2)
