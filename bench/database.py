"""The dedicated PostgreSQL database of the benchmark: created fresh, dropped at the end."""

import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def admin_url(database_url: str) -> str:
    """The same server, but the `postgres` maintenance database."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    if not name:
        raise ValueError(f"no database name in {database_url!r}")
    return name


def ensure_server(database_url: str, *, wait: float = 30.0) -> None:
    """Connect to the server; if it is down and a local Debian cluster exists, start it."""
    try:
        psycopg.connect(admin_url(database_url), connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        first_error = exc
    ctl = shutil.which("pg_ctlcluster")
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) if ctl else []
    if not versions:
        raise RuntimeError(f"PostgreSQL is not reachable: {first_error}")
    subprocess.run(  # noqa: S603 - fixed command
        [ctl, "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            psycopg.connect(admin_url(database_url), connect_timeout=5).close()
            return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise RuntimeError(f"PostgreSQL is not reachable: {first_error}")


def recreate(database_url: str) -> None:
    """Drop (closing its connections) and create the benchmark's own database."""
    name = database_name(database_url)
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(database_url: str) -> None:
    name = database_name(database_url)
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def exists(database_url: str) -> bool:
    name = database_name(database_url)
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def server_version(database_url: str) -> str:
    with psycopg.connect(admin_url(database_url)) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"
