import copy
import threading

from asgiref.sync import SyncToAsync, async_to_sync, iscoroutinefunction
from django.core.handlers.exception import convert_exception_to_response


def _sync(method):
    """A view or template-response middleware method as Django adapted it for an async chain,
    back in its synchronous form."""
    if isinstance(method, SyncToAsync):
        return method.func
    if iscoroutinefunction(method):
        return async_to_sync(method)
    return method


class SyncRequestBoundary:
    """Last in MIDDLEWARE, a sync-only middleware makes Django build the whole middleware chain
    in sync mode under ASGI, so a request crosses from daphne's event loop into a worker thread
    once, instead of once per middleware (about twenty hand-offs with our stack).

    Below it Django would still hop back to the event loop for its async URL resolution and view
    call, then into the thread again for our (all synchronous) views. Under ASGI the handler we
    are given is async_to_sync(convert_exception_to_response(handler._get_response_async)); we
    run a copy of that handler's synchronous _get_response instead, in this thread, with its
    view and template-response middleware in their synchronous forms. It does the same work (URL
    resolution, view middleware such as CSRF, the view, exception middleware). Under WSGI nothing
    changes. Websockets do not pass through this chain. bench/checkin.py measures the effect
    (daphne CPU per scan); tests/config/test_middleware.py checks the path and CSRF."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        inner = getattr(getattr(get_response, "awaitable", None), "__wrapped__", None)
        handler = getattr(inner, "__self__", None)
        self._handler = None
        if getattr(inner, "__name__", "") == "_get_response_async" and hasattr(
            handler, "_get_response"
        ):
            self._handler = handler
        self._sync_response = None
        self._lock = threading.Lock()

    def _sync_path(self):
        # Built on first use: the handler fills its middleware lists after creating us.
        with self._lock:
            if self._sync_response is None:
                handler = copy.copy(self._handler)
                handler._view_middleware = [_sync(m) for m in handler._view_middleware]
                handler._template_response_middleware = [
                    _sync(m) for m in handler._template_response_middleware
                ]
                handler._exception_middleware = [_sync(m) for m in handler._exception_middleware]
                self._sync_response = convert_exception_to_response(handler._get_response)
            return self._sync_response

    def __call__(self, request):
        if self._handler is None:
            return self.get_response(request)
        return (self._sync_response or self._sync_path())(request)
