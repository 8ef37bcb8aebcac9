"""API token authentication with one hand-written query per request.

DRF's TokenAuthentication does the same thing through the ORM (`select_related("user").get()`),
whose query building cost more CPU than the query itself on the fair's busiest endpoint, the
gate scan (bench/checkin.py). Same header, same answers, same errors."""

from functools import cache

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from config import sql


@cache
def _sql() -> str:
    user = get_user_model()._meta
    token = Token._meta
    return (
        f'SELECT {sql.columns(get_user_model(), "u")} FROM "{user.db_table}" u '
        f'INNER JOIN "{token.db_table}" t '
        f'ON t."{token.get_field("user").column}" = u."{user.pk.column}" '
        f'WHERE t."{token.pk.column}" = %s'
    )


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        row = sql.fetch(_sql(), [key])
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, _end = sql.instance(get_user_model(), row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, Token(key=key, user=user)
