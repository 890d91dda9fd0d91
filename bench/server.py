"""Start and stop the real application server (gunicorn) for the measured scenarios.

The server is always stopped when the `running_server` block ends, on error too. Only
the process this module started (and its workers, in the process group it leads) is
signalled.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.httpclient import HttpClient

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port free on the loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status_kib(pid: int, key: str) -> int | None:
    """A `VmHWM`/`VmRSS`-style line of /proc/<pid>/status, in KiB (None if gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


def child_pids(pid: int) -> list[int]:
    """Direct children of `pid` (gunicorn's workers), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: fields after the closing parenthesis.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen
    workers: int
    threads: int
    log_path: Path
    peak_kib: dict[int, int] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self) -> HttpClient:
        return HttpClient(self.host, self.port)

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def sample_memory(self) -> None:
        """Remember each worker's peak RSS (VmHWM) seen so far; call it now and then."""
        for pid in self.worker_pids():
            hwm = proc_status_kib(pid, "VmHWM")
            if hwm is not None:
                self.peak_kib[pid] = max(hwm, self.peak_kib.get(pid, 0))

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def tracebacks(self) -> list[str]:
        """The distinct server-side tracebacks logged so far (last line as key), in order."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        found: dict[str, str] = {}
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Traceback (most recent call last):"):
                block = [line]
                for following in lines[i + 1 :]:
                    block.append(following)
                    if following and not following[0].isspace():
                        break  # the exception line ends the block
                found.setdefault(block[-1], "\n".join(block))
        return list(found.values())


def server_env(database_url: str, settings_module: str = "portail.settings") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PORTAIL_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": settings_module,
        }
    )
    return env


@contextlib.contextmanager
def running_server(
    database_url: str,
    *,
    workers: int,
    threads: int,
    log_dir: Path,
    ready_path: str = "/compte/connexion/",
    start_timeout: float = 60.0,
    wsgi: str = "portail.wsgi",
    settings_module: str = "portail.settings",
) -> Iterator[Server]:
    """gunicorn serving `wsgi` (the portal, or the bare yardstick app) on a free loopback
    port, stopped when the block ends."""
    port = free_port()
    log_path = log_dir / f"server-{wsgi.split('.')[0]}.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        wsgi,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "10",
        "--backlog",
        "256",
        "--timeout",
        "60",
        "--error-logfile",
        "-",
        # No control socket: it lives in a fixed path under $HOME, shared by every gunicorn.
        "--no-control-socket",
    ]
    # gunicorn's log and Django's (errors with their tracebacks) both go to log_path.
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command,
            cwd=REPO,
            env=server_env(database_url, settings_module),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server("127.0.0.1", port, process, workers, threads, log_path)
    try:
        _wait_ready(server, ready_path, start_timeout)
        yield server
    finally:
        server.sample_memory()
        _stop(process)


def _wait_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start:\n{server.log_tail()}")
        try:
            # Each worker imports Django lazily: new connections, so that every one of
            # them (they take turns accepting) answers once before anything is measured.
            for _ in range(server.workers * 3):
                with server.client() as client:
                    resp = client.get(path)
                if resp.status != 200:
                    raise RuntimeError(f"GET {path}: HTTP {resp.status}")
            return
        except (OSError, RuntimeError) as exc:
            last_error = str(exc)
            time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn not ready after {timeout:.0f} s ({last_error})\n{server.log_tail()}"
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM gunicorn's process group (graceful), SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
