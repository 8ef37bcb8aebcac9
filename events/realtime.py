"""Pushes to the fair's websockets (B2B meetings and the organiser's live dashboard).

Services call these functions inside their transactions. Each one schedules a channel-layer
`group_send` with `transaction.on_commit`, so nothing is pushed for a change that is rolled back,
and none of them ever raises into the caller: a broken channel layer (Redis down) is logged and
the write that caused the push stands. With channels-redis (REDIS_URL set) the message reaches
the consumers of every daphne process.

Message shapes on the channel layer (handled by events.consumers):
- participant and slots groups: {"type": "meetings.event", "event": str, "payload": dict}
- dashboard group: {"type": "dashboard.refresh"}
"""

import asyncio
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

PARTICIPANT_EVENTS = frozenset(
    {
        "request.new",
        "request.answered",
        "meeting.scheduled",
        "meeting.cancelled",
        "meeting.updated",
        "reminder",
    }
)
SLOTS_EVENT = "slots.changed"
SEND_TIMEOUT = 5.0  # seconds a caller inside an event loop waits for the helper thread
# A busy gate logs hundreds of scans a second. Each process sends the dashboard group at most one
# refresh per DASHBOARD_THROTTLE seconds; the dashboard consumer computes its figures once more
# DASHBOARD_SETTLE seconds after a refresh, which covers the scans whose refresh was skipped.
DASHBOARD_THROTTLE = 0.5
DASHBOARD_SETTLE = 1.0
_dashboard_sent: dict[int, float] = {}
_dashboard_lock = threading.Lock()


def participant_group(edition_id: int, participant_id: int) -> str:
    return f"meetings.{int(edition_id)}.participant.{int(participant_id)}"


def dashboard_group(edition_id: int) -> str:
    return f"meetings.{int(edition_id)}.dashboard"


def edition_slots_group(edition_id: int) -> str:
    return f"meetings.{int(edition_id)}.slots"


def _group_send(group: str, message: dict) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("realtime: could not send %s to %s", message.get("type"), group)


def _send_now(group: str, message: dict) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _group_send(group, message)
        return
    # A sync caller in a thread that runs an event loop (async_to_sync refuses to block it):
    # send from a helper thread, and wait for it so the order of sends is kept.
    helper = threading.Thread(target=_group_send, args=(group, message), daemon=True)
    helper.start()
    helper.join(SEND_TIMEOUT)


def _schedule(group: str, message: dict) -> None:
    """Send after the current transaction commits (at once outside a transaction)."""
    try:
        transaction.on_commit(lambda: _send_now(group, message))
    except Exception:
        logger.exception("realtime: could not schedule %s to %s", message.get("type"), group)


def notify_participant(*, edition_id: int, participant_id: int, event: str, payload: dict) -> None:
    """Push `event` with `payload` (JSON-serialisable; may carry "html", a rendered partial) to
    every open meetings page of this participant."""
    try:
        if event not in PARTICIPANT_EVENTS:
            logger.error("realtime: unknown participant event %r", event)
            return
        message = {"type": "meetings.event", "event": event, "payload": dict(payload)}
        _schedule(participant_group(edition_id, participant_id), message)
    except Exception:
        logger.exception("realtime: notify_participant failed")


def notify_slots_changed(
    *, edition_id: int, participant_ids: list[int], slot_ids: list[int]
) -> None:
    """Tell every open meetings page of the edition that these participants' availability in
    these slots changed, so pages offering those slots for them stop offering them."""
    try:
        payload = {
            "participant_ids": sorted({int(p) for p in participant_ids}),
            "slot_ids": sorted({int(s) for s in slot_ids}),
        }
        message = {"type": "meetings.event", "event": SLOTS_EVENT, "payload": payload}
        _schedule(edition_slots_group(edition_id), message)
    except Exception:
        logger.exception("realtime: notify_slots_changed failed")


def notify_dashboard(*, edition_id: int) -> None:
    """Ask the open organiser dashboards of the edition to recompute their figures (after the
    current transaction commits; throttled per process, see DASHBOARD_THROTTLE)."""
    try:
        transaction.on_commit(lambda: _dashboard_send(int(edition_id)))
    except Exception:
        logger.exception("realtime: notify_dashboard failed")


def _dashboard_send(edition_id: int) -> None:
    now = time.monotonic()
    with _dashboard_lock:
        last = _dashboard_sent.get(edition_id)
        if last is not None and now - last < DASHBOARD_THROTTLE:
            return
        _dashboard_sent[edition_id] = now
    _send_now(dashboard_group(edition_id), {"type": "dashboard.refresh"})


def dashboard_throttle_reset() -> None:
    """Forget when refreshes were last sent (tests start each from a clean slate)."""
    with _dashboard_lock:
        _dashboard_sent.clear()
