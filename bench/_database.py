"""Where a benchmark keeps its data: its own PostgreSQL database on the server DATABASE_URL
names, created when missing, so a benchmark never touches the test or demo databases."""

import os
import sys
from urllib.parse import urlparse, urlunparse

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


def bench_database_url(*, script: str, name: str | None = None, suffix: str = "") -> str:
    """The URL of the benchmark's database: `name`, or `<DATABASE_URL's name>_<suffix>`."""
    parsed = urlparse(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = name or f"{parsed.path.lstrip('/') or 'techmart'}_{suffix}"
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))
