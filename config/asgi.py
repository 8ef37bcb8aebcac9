"""HTTP and websockets in one daphne process. Each app that speaks websockets lists its routes
in `<app>/routing.py` as `websocket_urlpatterns`; they are collected here."""

import gc
import os
from importlib import import_module

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402


def collect_websocket_urlpatterns() -> list:
    patterns: list = []
    for app in ("accounts", "marketplace", "matching", "events"):
        try:
            module = import_module(f"{app}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.routing":
                raise
            continue
        patterns.extend(module.websocket_urlpatterns)
    return patterns


websocket_app = AuthMiddlewareStack(URLRouter(collect_websocket_urlpatterns()))
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(websocket_app)
        if not settings.DEBUG
        else websocket_app,
    }
)


# Everything imported so far lives as long as the process. Moving it out of the collector's
# reach keeps a full collection from walking ~125,000 objects (50-70 ms measured here), a pause
# every request in flight would wait out; collections then only look at what requests create.
gc.collect()
gc.freeze()
