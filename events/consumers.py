"""Websockets of the fair's B2B meetings. Thin: who may connect is decided here from the session
(channels' AuthMiddlewareStack, see config/asgi.py), what is pushed comes from events.realtime
(sent by the services after their transaction commits) and events.selectors_live.

Close codes: 4401 without a valid session (or, on the meetings socket, with no meetings
participant for that edition), 4403 for a logged-in user who may not see the organiser dashboard.
Both are sent after accepting, so that browsers see the code (a refused handshake is a bare 403).

Frames sent to the browser are JSON objects {"event": str, "payload": dict}."""

import asyncio
import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import realtime

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def _user(scope):
    user = scope.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user


@database_sync_to_async
def _participant_for(user, slug: str) -> tuple[int, int] | None:
    from .models import MeetingParticipant

    return (
        MeetingParticipant.objects.filter(edition__slug=slug, user=user, is_active=True)
        .values_list("edition_id", "pk")
        .first()
    )


@database_sync_to_async
def _managed_edition_id(user, slug: str) -> int | None:
    from .models import Edition
    from .permissions import can_manage_edition

    edition = Edition.objects.filter(slug=slug).first()
    if edition is None or not can_manage_edition(user, edition):
        return None
    return edition.pk


@database_sync_to_async
def _dashboard_figures(edition_id: int) -> dict:
    from .models import Edition
    from .selectors_live import live_dashboard

    return live_dashboard(edition=Edition.objects.get(pk=edition_id))


class _Base(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]

    # Pushes from events.realtime: their handlers never use a database connection in the
    # consumer's thread (the dashboard's figures go through database_sync_to_async, which
    # cleans up connections itself). Channels' dispatch runs close_old_connections through the
    # process's single sync thread before every message, which queues a broadcast to every
    # socket of the process behind that one thread; these messages skip it.
    PUSH_TYPES = frozenset({"meetings.event", "dashboard.refresh"})

    async def dispatch(self, message) -> None:
        if message.get("type") in self.PUSH_TYPES:
            await getattr(self, get_handler_name(message))(message)
            return
        await super().dispatch(message)

    async def _refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def _join(self, *groups: str) -> None:
        self.groups_joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The browser only listens; a ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("event") == "ping":
            await self.send_json({"event": "pong", "payload": {}})


class MeetingsConsumer(_Base):
    """/ws/events/<slug>/meetings/: one participant's requests, answers, meetings and reminders,
    and the edition's slot availability changes."""

    async def connect(self) -> None:
        user = _user(self.scope)
        if user is None:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        found = await _participant_for(user, self.scope["url_route"]["kwargs"]["slug"])
        if found is None:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        self.edition_id, self.participant_id = found
        await self._join(
            realtime.participant_group(self.edition_id, self.participant_id),
            realtime.edition_slots_group(self.edition_id),
        )
        await self.accept()
        await self.send_json({"event": "hello", "payload": {"participant_id": self.participant_id}})

    async def meetings_event(self, message: dict) -> None:
        await self.send_json({"event": message["event"], "payload": message.get("payload", {})})


class DashboardConsumer(_Base):
    """/ws/events/<slug>/dashboard/: the edition's organisers get the live figures on connect and
    again whenever events.realtime.notify_dashboard is called. Refreshes that arrive while the
    figures are being computed, or within DASHBOARD_SETTLE seconds after, are folded into one
    more computation, so a busy gate costs the dashboard about one computation a second, not
    one per scan."""

    async def connect(self) -> None:
        user = _user(self.scope)
        if user is None:
            await self._refuse(CLOSE_UNAUTHENTICATED)
            return
        edition_id = await _managed_edition_id(user, self.scope["url_route"]["kwargs"]["slug"])
        if edition_id is None:
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.edition_id = edition_id
        self._dirty = False
        self._refresher: asyncio.Task | None = None
        await self._join(realtime.dashboard_group(edition_id))
        await self.accept()
        await self._push()

    async def _push(self) -> None:
        figures = await _dashboard_figures(self.edition_id)
        await self.send_json({"event": "dashboard", "payload": figures})

    async def _refresh_loop(self) -> None:
        try:
            while self._dirty:
                self._dirty = False
                await self._push()
                await asyncio.sleep(realtime.DASHBOARD_SETTLE)
            # Senders skip refreshes that follow one they sent by less than DASHBOARD_THROTTLE
            # (< DASHBOARD_SETTLE): this last computation includes those scans.
            await self._push()
        except Exception:
            logger.exception("dashboard: refresh failed for edition %s", self.edition_id)

    async def dashboard_refresh(self, message: dict) -> None:
        self._dirty = True
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.ensure_future(self._refresh_loop())

    async def disconnect(self, code) -> None:
        refresher = getattr(self, "_refresher", None)
        if refresher is not None and not refresher.done():
            refresher.cancel()
        await super().disconnect(code)
