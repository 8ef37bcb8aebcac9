import json

import pytest

from tests.config.test_settings import run_django

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_reports_every_service_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "channel_layer": {"ok": True},
        },
    }


def test_healthz_answers_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"] == {"ok": True}


def test_healthz_answers_503_when_the_channel_layer_is_down(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [UNREACHABLE_REDIS]},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"]["ok"] is False
    assert response.json()["checks"]["cache"] == {"ok": True}


def test_healthz_answers_503_when_the_database_is_down():
    """A fresh process whose DATABASE_URL points at a port where nothing listens."""
    code = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps([response.status_code, response.json()]))\n"
    )
    result = run_django(code, DATABASE_URL="postgres://postgres@127.0.0.1:1/techmart")
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["cache"] == {"ok": True}
