"""config.middleware.SyncRequestBoundary: under ASGI a request runs its middleware and view in
one worker thread, without hopping back to the event loop between them."""

import functools

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.base import BaseHandler
from django.test import AsyncClient


@pytest.mark.django_db
def test_asgi_request_runs_middleware_and_view_in_one_thread(monkeypatch):
    calls = []
    sync_path = BaseHandler._get_response
    async_path = BaseHandler._get_response_async

    @functools.wraps(sync_path)
    def spy_sync(self, request):
        calls.append("sync")
        return sync_path(self, request)

    @functools.wraps(async_path)
    async def spy_async(self, request):
        calls.append("async")
        return await async_path(self, request)

    monkeypatch.setattr(BaseHandler, "_get_response", spy_sync)
    monkeypatch.setattr(BaseHandler, "_get_response_async", spy_async)

    response = async_to_sync(AsyncClient().get)("/healthz")

    assert response.status_code == 200
    assert calls == ["sync"]


@pytest.mark.django_db
def test_asgi_errors_still_become_responses():
    response = async_to_sync(AsyncClient().get)("/no-such-page/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_asgi_post_without_csrf_token_is_still_refused():
    # CSRF's process_view runs on the synchronous path too.
    from tests.accounts.factories import UserFactory

    user = UserFactory()
    client = AsyncClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = async_to_sync(client.post)("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
