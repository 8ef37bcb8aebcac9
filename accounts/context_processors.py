from django.conf import settings

from . import permissions


def platform(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_url": settings.SITE_URL,
        "user_is_moderator": permissions.is_moderator(user),
        "user_is_organiser": permissions.is_organiser(user),
        "user_is_exhibitor_staff": permissions.is_exhibitor_staff(user),
    }
