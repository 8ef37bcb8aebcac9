#!/usr/bin/env bash
# Benchmarks print their figures; none is a test. They need PostgreSQL (and Redis for some).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
shopt -s nullglob
for script in bench/*.py; do
  case "$(basename "$script")" in __init__.py|_*.py|*_settings.py) continue ;; esac
  echo "== $script"
  .venv/bin/python "$script"
done
