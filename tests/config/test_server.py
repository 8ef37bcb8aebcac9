"""config.server: daphne's requests leave parsing form bodies to Django."""

import pytest
from daphne.http_protocol import WebRequest
from twisted.web import http

from config.server import leave_form_parsing_to_django


class _Stop(Exception):
    pass


def test_daphne_requests_are_made_without_twisted_form_parsing(monkeypatch):
    leave_form_parsing_to_django()
    leave_form_parsing_to_django()  # a second call does not wrap twice
    seen: list[dict] = []

    def request_init(self, *args, **kwargs):
        seen.append(kwargs)
        raise _Stop

    monkeypatch.setattr(http.Request, "__init__", request_init)
    monkeypatch.setattr("daphne.http_protocol.logger.error", lambda *args, **kwargs: None)
    with pytest.raises(_Stop):
        WebRequest(object())

    assert seen == [{"parsePOSTFormSubmission": False}]
