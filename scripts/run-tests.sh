#!/usr/bin/env bash
# The whole suite: lint, migrations, the SQLite pass, then the PostgreSQL + Redis pass.
# Without those services the second pass is skipped with a plain message, unless
# REQUIRE_SERVICES=1 (CI), where a missing service fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
REDIS=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== migrations are up to date"
env -u DATABASE_URL $BIN/python manage.py makemigrations --check --dry-run

# pytest exits 5 when it collected no test: `set -e` makes that (and every failure) fail the run.
echo "== test suite on SQLite, in-memory channel layer, eager Celery"
env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL $BIN/pytest "$@"

services_up() {
  $BIN/python - "$PG_URL" "$REDIS" <<'PY'
import sys

import psycopg
import redis

try:
    # The server is what matters: pytest-django creates its own test_<name> database.
    psycopg.connect(sys.argv[1], dbname="postgres", connect_timeout=3).close()
    redis.Redis.from_url(sys.argv[2], socket_connect_timeout=3).ping()
except Exception as exc:
    print(f"unreachable: {exc}")
    sys.exit(1)
PY
}

if services_up; then
  echo "== test suite on PostgreSQL ($PG_URL) and Redis ($REDIS)"
  DATABASE_URL=$PG_URL REDIS_URL=$REDIS $BIN/pytest "$@"
elif [ "${REQUIRE_SERVICES:-0}" = "1" ]; then
  echo "FAILED: REQUIRE_SERVICES=1 but PostgreSQL or Redis is not reachable." >&2
  exit 1
else
  echo
  echo "SKIPPED: the PostgreSQL + Redis pass (no PostgreSQL at $PG_URL or Redis at $REDIS)."
  echo "         Only the SQLite pass ran. Start both services to run the full suite."
fi
