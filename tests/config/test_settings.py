"""config/settings.py reads the environment. Each case runs Django in a fresh interpreter with
exactly the variables given, as a deployment would."""

import json
import os
import subprocess
import sys

import pytest

from config.settings import email_settings_from_url
from tests.conftest import REPO_ROOT

PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": settings.DATABASES["default"]["NAME"],
    "POOL": bool(settings.DATABASES["default"].get("OPTIONS", {}).get("pool")),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "LAYER": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "BROKER": settings.CELERY_BROKER_URL,
    "EMAIL": settings.EMAIL_BACKEND,
    "HOSTS": settings.ALLOWED_HOSTS,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
}))
"""

CLEAN_ENV_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "SITE_URL",
    # set by tests/e2e for Playwright's event loop in this process; never in a deployment
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(**env: str) -> dict:
    result = run_django(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_with_nothing_set_are_embedded_defaults():
    values = probe()
    assert values == {
        "DEBUG": False,
        "ENGINE": "django.db.backends.sqlite3",
        "DB_NAME": str(REPO_ROOT / "db.sqlite3"),
        "POOL": False,
        "CACHE": "django.core.cache.backends.locmem.LocMemCache",
        "LAYER": "channels.layers.InMemoryChannelLayer",
        "EAGER": True,
        "BROKER": "",
        "EMAIL": "django.core.mail.backends.console.EmailBackend",
        "HOSTS": ["localhost", "127.0.0.1", "[::1]", "testserver"],
        "SSL_REDIRECT": False,
    }


def test_settings_switch_to_real_services_from_the_environment():
    values = probe(
        DATABASE_URL="postgres://techmart:pw@db.internal:5432/techmart",
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_BROKER_URL="amqp://guest:guest@mq.internal:5672//",
        EMAIL_URL="smtp://mailer:secret@smtp.internal:587?tls=1",
        ALLOWED_HOSTS="techmart.example.vn,www.techmart.example.vn",
        DJANGO_DEBUG="1",
    )
    assert values == {
        "DEBUG": True,
        "ENGINE": "django.db.backends.postgresql",
        "DB_NAME": "techmart",
        "POOL": True,
        "CACHE": "django.core.cache.backends.redis.RedisCache",
        "LAYER": "channels_redis.core.RedisChannelLayer",
        "EAGER": False,
        "BROKER": "amqp://guest:guest@mq.internal:5672//",
        "EMAIL": "django.core.mail.backends.smtp.EmailBackend",
        "HOSTS": ["techmart.example.vn", "www.techmart.example.vn"],
        "SSL_REDIRECT": False,
    }


def test_check_deploy_passes_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS},
            "SECRET_KEY": "x9!kq2-production-secret-" + "a7Bc" * 12,
            "ALLOWED_HOSTS": "techmart.example.vn",
            "SITE_URL": "https://techmart.example.vn",
            "DATABASE_URL": "postgres://techmart:pw@127.0.0.1:5432/techmart",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "security.W009" in result.stderr  # the development SECRET_KEY


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("locmem://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        (
            "file:///var/mail/techmart",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/techmart",
            },
        ),
        (
            "smtp://user%40so.vn:p%2Fw@smtp.so.vn:587?tls=1",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "smtp.so.vn",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "user@so.vn",
                "EMAIL_HOST_PASSWORD": "p/w",
                "EMAIL_USE_SSL": False,
                "EMAIL_USE_TLS": True,
            },
        ),
        (
            "smtps://mail.so.vn",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.so.vn",
                "EMAIL_PORT": 465,
                "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "",
                "EMAIL_USE_SSL": True,
                "EMAIL_USE_TLS": False,
            },
        ),
    ],
)
def test_email_url_parsing(url, expected):
    assert email_settings_from_url(url) == expected


def test_email_url_with_unknown_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url("pigeon://coop")
