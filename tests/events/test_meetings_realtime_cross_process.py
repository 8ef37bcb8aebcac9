"""Across processes through channels-redis: two daphne processes share PostgreSQL and Redis; a
websocket client connected to daphne A receives the event caused by an HTTP request to daphne B.
The websocket is authenticated by a real session cookie, as a browser's would be."""

import asyncio
import json
import os

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from events.models import CheckinType
from tests.accounts.factories import UserFactory
from tests.servers import daphne_server, database_url_for_subprocess, run_async

from .factories import (
    CheckinListFactory,
    EditionFactory,
    MeetingBlockFactory,
    MeetingParticipantFactory,
    MeetingProgrammeFactory,
    MeetingSlotFactory,
    TicketFactory,
)
from .realtime_helpers import session_cookie

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL,
        reason="needs Redis shared by two daphne processes (channels-redis); set REDIS_URL",
    ),
]


def ws_url(base_url: str, path: str) -> str:
    return base_url.replace("http://", "ws://") + path


async def _receive(socket, timeout: float = 10.0) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


@pytest.fixture
def two_servers():
    env = {**database_url_for_subprocess(), "REDIS_URL": REDIS_URL}
    with daphne_server(env) as server_a, daphne_server(env) as server_b:
        yield server_a, server_b


def test_dashboard_socket_on_one_daphne_gets_scan_made_on_the_other(two_servers):
    import httpx
    from websockets.asyncio.client import connect

    server_a, server_b = two_servers
    assert server_a != server_b
    organiser = UserFactory(roles=["organiser"])
    edition = EditionFactory(organisers=[organiser])
    gate = CheckinListFactory(edition=edition, staff=[organiser])
    ticket = TicketFactory(edition=edition)
    token = Token.objects.create(user=organiser).key
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(organiser)}"

    async def scenario():
        async with connect(
            ws_url(server_a, f"/ws/events/{edition.slug}/dashboard/"),
            origin=server_a,
            additional_headers={"Cookie": cookie},
        ) as socket:
            before = await _receive(socket)
            async with httpx.AsyncClient(base_url=server_b, timeout=10) as http:
                answer = await http.post(
                    f"/api/v1/events/{edition.slug}/checkins/",
                    json={"code": ticket.code, "list": gate.slug, "type": CheckinType.ENTRY},
                    headers={"Authorization": f"Token {token}"},
                )
            after = await _receive(socket)
            return before, answer.status_code, after

    before, status, after = run_async(scenario())

    assert (before["event"], before["payload"]["inside_now"]) == ("dashboard", 0)
    assert status == 201
    assert (after["event"], after["payload"]["inside_now"]) == ("dashboard", 1)
    assert [row["count"] for row in after["payload"]["checkins_per_hour"]] == [1]


def test_meetings_socket_on_one_daphne_gets_request_made_over_http_on_the_other(two_servers):
    import httpx
    from websockets.asyncio.client import connect

    server_a, server_b = two_servers
    edition = EditionFactory()
    block = MeetingBlockFactory(programme=MeetingProgrammeFactory(edition=edition))
    slot = MeetingSlotFactory(block=block)
    requester = MeetingParticipantFactory(edition=edition)
    recipient = MeetingParticipantFactory(edition=edition)
    token = Token.objects.create(user=requester.user).key
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie(recipient.user)}"

    async def scenario():
        async with connect(
            ws_url(server_a, f"/ws/events/{edition.slug}/meetings/"),
            origin=server_a,
            additional_headers={"Cookie": cookie},
        ) as socket:
            hello = await _receive(socket)
            async with httpx.AsyncClient(base_url=server_b, timeout=10) as http:
                answer = await http.post(
                    f"/api/v1/events/{edition.slug}/meetings/",
                    json={"recipient": recipient.pk, "slot": slot.pk, "message": "Xin gặp"},
                    headers={"Authorization": f"Token {token}"},
                )
            frames = [await _receive(socket), await _receive(socket)]
            return hello, answer.status_code, answer.json(), frames

    hello, status, body, frames = run_async(scenario())

    assert hello == {"event": "hello", "payload": {"participant_id": recipient.pk}}
    assert status == 201
    by_event = {frame["event"]: frame["payload"] for frame in frames}
    assert sorted(by_event) == ["request.new", "slots.changed"]
    assert by_event["request.new"]["meeting_id"] == body["id"]
    assert by_event["slots.changed"] == {
        "participant_ids": sorted([requester.pk, recipient.pk]),
        "slot_ids": [slot.pk],
    }


def test_meetings_socket_without_session_is_closed_4401_by_daphne(two_servers):
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    server_a, _server_b = two_servers
    edition = EditionFactory()

    async def scenario():
        async with connect(
            ws_url(server_a, f"/ws/events/{edition.slug}/meetings/"), origin=server_a
        ) as socket:
            try:
                await asyncio.wait_for(socket.recv(), 10)
            except ConnectionClosed as closed:
                return closed.rcvd.code
        return None

    assert run_async(scenario()) == 4401
