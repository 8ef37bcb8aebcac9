"""Text messages (SMS) through a pluggable backend, chosen like e-mail by a URL in SMS_URL.

- ``console://`` (the default) writes each message to standard output;
- ``file:///dir`` appends each message to a file per day in that folder;
- ``locmem://`` keeps messages in ``outbox`` (tests);
- ``dotted.path.Backend`` loads a gateway backend written for a provider.

A gateway backend is a class with ``send(messages: list[SmsMessage]) -> int``. No provider is
built in: Vietnamese SMS gateways (brandname SMS) each have their own contract and API."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


outbox: list[SmsMessage] = []


class ConsoleBackend:
    def __init__(self, **options):
        self.stream = options.get("stream") or sys.stdout

    def send(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        self.stream.flush()
        return len(messages)


class FileBackend:
    _lock = threading.Lock()

    def __init__(self, *, path: str, **options):
        self.folder = Path(path)

    def send(self, messages: list[SmsMessage]) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = timezone.localtime()
        target = self.folder / f"sms-{now:%Y%m%d}.log"
        with self._lock, target.open("a", encoding="utf-8") as handle:
            for message in messages:
                handle.write(f"{now.isoformat(timespec='seconds')}\t{message.to}\n")
                handle.write(f"{message.body}\n{'-' * 40}\n")
        return len(messages)


class LocmemBackend:
    def __init__(self, **options):
        pass

    def send(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def backend_from_url(url: str):
    """The backend SMS_URL names; an unknown scheme is a configuration error at first use."""
    if not url or url.startswith("console:"):
        return ConsoleBackend()
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return FileBackend(path=unquote(parsed.path))
    if parsed.scheme == "locmem":
        return LocmemBackend()
    if "://" not in url:
        return import_string(url)()
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SMS_URL has an unknown scheme: {parsed.scheme!r}")


def sms_send(*, to: str, body: str) -> int:
    """Send one text message now. Call it from a task or after commit, never mid-transaction."""
    backend = backend_from_url(getattr(settings, "SMS_URL", ""))
    return backend.send([SmsMessage(to=to, body=body)])
