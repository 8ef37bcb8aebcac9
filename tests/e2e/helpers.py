"""Shared steps of the browser tests."""

from django.conf import settings
from django.test import Client


def signed_in(browser, live_server, user):
    """A new 360 px browser context already signed in as `user` (a real session cookie from
    Django's test client), and a page in it."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page
