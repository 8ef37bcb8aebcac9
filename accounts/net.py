"""The client's address, as far as this deployment can trust it.

X-Forwarded-For is written by whoever sends the request, so it is read only when the operator
says how many proxies of their own stand in front (TRUSTED_PROXY_COUNT): the address is then the
one the outermost trusted proxy saw, counted from the right. With no proxy configured (the
default) only the socket's address counts."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        return remote
    return chain[-proxies]
