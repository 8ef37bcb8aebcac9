"""The bell in the navigation bar: the signed-in user's unread notifications."""

from functools import cache

from . import selectors


def notifications(request) -> dict:
    """`notifications_unread` is a callable that templates call when they read it, at most once
    per request: one COUNT query on a page whose layout shows the bell (signed-in users only),
    none for visitors or for partials that don't read it."""

    @cache
    def notifications_unread() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return selectors.notifications_unread_count(user=user)

    return {"notifications_unread": notifications_unread}
