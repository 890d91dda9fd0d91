"""The real server the browser tests drive: its own database, its own process.

The browser talks HTTP to a separate process, so pytest-django's test database (inside
the pytest process, in a transaction) cannot be used. Instead the session prepares one
database with the demo commune (migrate + load_demo), and each journey gets a copy of it
and a fresh gunicorn on a free loopback port: journeys never see each other's bookings.

SQLite: files var/browser-<pid>-*.sqlite3, copied with SQLite's backup API.
PostgreSQL: databases <name>_browser (the template) and <name>_browser_<n> (copies, made
with CREATE DATABASE ... TEMPLATE), created on DATABASE_URL's server and dropped at the end.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from time_machine import escape_hatch

from tests.clock import NOW

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
BIN = Path(sys.executable).parent
PORTAIL = str(BIN / "portail")
GUNICORN = str(BIN / "gunicorn")


LIBFAKETIME = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/faketime/libfaketime.so.1",
)


def find_libfaketime() -> str | None:
    return next((path for path in LIBFAKETIME if Path(path).is_file()), None)


def _clock_env() -> dict[str, str]:
    """The server's clock set to the suite's (tests/clock.py), as the test process sees it.

    libfaketime (Debian's `faketime`) moves the clock of `load_demo` and of gunicorn by the
    offset between `tests.clock.NOW` and the real time, so the demo and the pages are those
    of that day whatever the real date, and agree with the dates the tests compute. The
    browser keeps the real clock: cookies carry Max-Age, which does not depend on it."""
    library = find_libfaketime()
    if library is None:
        raise RuntimeError("libfaketime is missing: apt-get install faketime (make test does)")
    offset = round(NOW.timestamp() - escape_hatch.time.time())
    preload = " ".join(filter(None, [library, os.environ.get("LD_PRELOAD", "")]))
    return {
        "LD_PRELOAD": preload,
        "FAKETIME": f"{offset:+d}",
    }


def _base_env() -> dict[str, str]:
    """The environment of every command and server: demo mode, development settings, the
    suite's clock."""
    env = dict(os.environ)
    unset = ("PAYFIP_WS_URL", "PAYFIP_PAYMENT_URL", "EMAIL_HOST", "PORTAIL_TEST_DB", "FAKETIME")
    for name in unset:
        env.pop(name, None)
    env.update({"PORTAIL_ENV": "development", "PORTAIL_DEMO": "1", "LOG_LEVEL": "WARNING"})
    env.update(_clock_env())
    return env


def run_portail(*args: str, database_url: str) -> None:
    """Run a `portail` management command against one database; fail loudly with its output."""
    env = _base_env() | {"DATABASE_URL": database_url}
    done = subprocess.run(
        [PORTAIL, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"`portail {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )


def free_port() -> int:
    """A free TCP port on the loopback (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoDatabases:
    """The demo template and its copies, on SQLite or on PostgreSQL (from DATABASE_URL)."""

    def __init__(self, database_url: str | None) -> None:
        self.source_url = database_url or ""
        self.postgres = self.source_url.startswith(("postgres://", "postgresql://"))
        self.tag = f"browser-{os.getpid()}"
        self.copies: list[str] = []
        if self.postgres:
            parts = urlsplit(self.source_url)
            self._parts = parts
            self._base_name = parts.path.lstrip("/") or "portail"
            self.template_url = self._url_for(f"{self._base_name}_browser")
        else:
            VAR.mkdir(exist_ok=True)
            self.template_url = f"sqlite:///{VAR / f'{self.tag}-demo.sqlite3'}"

    # -- PostgreSQL plumbing -------------------------------------------------------------
    def _url_for(self, name: str) -> str:
        return urlunsplit(self._parts._replace(path=f"/{name}"))

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._url_for("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    @staticmethod
    def _name(url: str) -> str:
        return urlsplit(url).path.lstrip("/")

    # -- the template ----------------------------------------------------------------------
    def prepare_template(self) -> None:
        """Migrate a new database and load the demo commune into it (about 10 s)."""
        if self.postgres:
            name = self._name(self.template_url)
            self._admin(
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
            )
        else:
            self._remove_sqlite(self.template_url)
        run_portail("migrate", "--noinput", "-v0", database_url=self.template_url)
        run_portail("load_demo", database_url=self.template_url)

    # -- copies ----------------------------------------------------------------------------
    def copy(self) -> str:
        """A new database with the template's content; its DATABASE_URL."""
        number = len(self.copies) + 1
        if self.postgres:
            name = f"{self._name(self.template_url)}_{number}"
            template = self._name(self.template_url)
            self._admin(
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
            )
            url = self._url_for(name)
        else:
            path = VAR / f"{self.tag}-{number}.sqlite3"
            url = f"sqlite:///{path}"
            self._remove_sqlite(url)
            source = sqlite3.connect(self._sqlite_path(self.template_url))
            target = sqlite3.connect(path)
            with target:
                source.backup(target)
            source.close()
            target.close()
        self.copies.append(url)
        return url

    def drop(self, url: str) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')
        else:
            self._remove_sqlite(url)

    def drop_all(self) -> None:
        for url in [*self.copies, self.template_url]:
            with contextlib.suppress(Exception):
                self.drop(url)

    @staticmethod
    def _sqlite_path(url: str) -> Path:
        return Path(url.removeprefix("sqlite:///").replace("sqlite://", "", 1))

    def _remove_sqlite(self, url: str) -> None:
        path = self._sqlite_path(url)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass
class Server:
    """One gunicorn serving one database, with its log and its e-mails kept as artefacts."""

    database_url: str
    artifacts: Path
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)
    mail_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.log_path = self.artifacts / "server.log"
        self.mail_dir = self.artifacts / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        for old in self.mail_dir.iterdir():
            old.unlink()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Start gunicorn (threads: the PayFiP simulator notifies this very server while a
        request is being answered) and wait until the login page answers."""
        self.port = free_port()
        env = _base_env() | {
            "DATABASE_URL": self.database_url,
            "PORTAIL_BASE_URL": self.base_url,
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "LOG_LEVEL": "INFO",
        }
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "portail.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server stopped at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/compte/connexion/", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The server did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def errors_in_log(self) -> list[str]:
        """Lines of the log that tell of a server error (a 500 or a traceback)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [
            line
            for line in text.splitlines()
            if "Traceback" in line or '" 500 ' in line or "Internal Server Error" in line
        ]
