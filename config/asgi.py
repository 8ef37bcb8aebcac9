"""HTTP and websockets in one daphne process. Each app that speaks websockets lists its routes
in `<app>/routing.py` as `websocket_urlpatterns`; they are collected here."""

import os
from importlib import import_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.handlers import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.memory import freeze_startup_heap  # noqa: E402
from config.server import leave_form_parsing_to_django  # noqa: E402

leave_form_parsing_to_django()


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


# Everything imported so far lives as long as the process; so does most of what the first
# requests load lazily. Keeping it out of the collector's reach keeps full collections, which
# every request in flight waits out, short (config/memory.py).
freeze_startup_heap()
