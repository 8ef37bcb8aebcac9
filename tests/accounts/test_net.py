import pytest
from django.test import RequestFactory

from accounts.net import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.9"),  # no proxy configured: the header is the client's own words
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # our proxy appended what it saw
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "", "10.0.0.9"),
        (3, "203.0.113.7", "10.0.0.9"),  # shorter than the proxies we run: not trustworthy
    ],
)
def test_client_address_trusts_only_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
