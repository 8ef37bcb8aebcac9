"""Helpers shared by the websocket tests: the project's real ASGI stack (session auth, origin
check, URL routing) driven by channels' WebsocketCommunicator."""

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client


def session_cookie(user) -> str:
    """A real session in the database for `user`, as its cookie value."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def communicator(path: str, user=None) -> WebsocketCommunicator:
    from config.asgi import application

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        headers.append(
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_cookie(user)}".encode())
        )
    return WebsocketCommunicator(application, path, headers=headers)


async def close_code(comm: WebsocketCommunicator) -> int | None:
    """Connect and return the close code the server answered with (None if it stayed open)."""
    connected, _ = await comm.connect(timeout=5)
    assert connected is True
    try:
        message = await comm.receive_output(timeout=5)
    except TimeoutError:
        await comm.disconnect()
        return None
    assert message["type"] == "websocket.close"
    return message["code"]
