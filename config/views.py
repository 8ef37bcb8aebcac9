from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def home(request: HttpRequest):
    return render(request, "home.html")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{get_random_string(12)}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "healthz.ping":
            raise RuntimeError("channel layer returned an unexpected message")

    async_to_sync(roundtrip)()


HEALTH_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "channel_layer": _check_channel_layer,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            checks[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            checks[name] = {"ok": True}
    healthy = all(item["ok"] for item in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


# --- Error pages --------------------------------------------------------------------------------
# Pages get the site layout in the reader's language, with a way back; the API gets the same
# JSON error shape as everywhere else (accounts.errors.ApplicationError.as_dict).

ERROR_TEXTS = {
    400: (
        _("The request could not be understood"),
        _("Something in the address or the form was not valid. Go back and try again."),
        "bad_request",
    ),
    403: (
        _("You may not open this page"),
        _(
            "Your account does not have access to this page. Sign in with another account, "
            "or go back."
        ),
        "permission_denied",
    ),
    404: (
        _("Page not found"),
        _("The page does not exist, or it was moved or removed."),
        "not_found",
    ),
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_page(request: HttpRequest, *, status: int, title=None, text=None) -> HttpResponse:
    default_title, default_text, reason = ERROR_TEXTS[status]
    title, text = title or default_title, text or default_text
    if _is_api(request):
        return JsonResponse(
            {"status": "error", "reason": reason, "detail": str(title)}, status=status
        )
    return render(
        request,
        "errors/page.html",
        {"status": status, "error_title": title, "error_text": text},
        status=status,
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors: whatever failed (the database, say) must not fail again here."""
    if _is_api(request):
        return JsonResponse(
            {
                "status": "error",
                "reason": "server_error",
                "detail": str(_("Something went wrong")),
            },
            status=500,
        )
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: usually an old tab or cookies switched off, rarely an attack."""
    return error_page(
        request,
        status=403,
        title=_("This form has expired"),
        text=_(
            "For your safety the form could not be sent. Reload the page and send it again; "
            "if it happens again, allow cookies for this site."
        ),
    )
