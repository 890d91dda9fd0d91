"""How much of the machine's CPU went to other work while a scenario ran.

The bench shares its machine with PostgreSQL and, on a developer's or CI machine, with
anything else. Figures taken while other processes ate half the CPU are not comparable
with quiet ones, so each scenario reports the share of CPU time used by processes that
are neither the bench, its gunicorn server, nor PostgreSQL sessions of its database.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MIN_TICKS = 200  # clock ticks of all CPUs together: 1 s on 2 CPUs at the usual 100 Hz


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user time
    return total - idle, total


def process_jiffies(pid: int) -> int | None:
    """User + system clock ticks of a process (all its threads), None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


@dataclass
class CpuWatch:
    """Start it, run something, stop it: the CPU shares seen meanwhile."""

    own_pids: Callable[[], Iterable[int]]
    _busy: int = 0
    _total: int = 0
    _own: dict[int, int] = field(default_factory=dict)

    def start(self) -> None:
        self._busy, self._total = machine_jiffies()
        self._own = {pid: process_jiffies(pid) or 0 for pid in {os.getpid(), *self.own_pids()}}

    def stop(self) -> tuple[float, float] | None:
        """(share of the machine's CPU busy, share used by other processes), 0 to 1; None
        when too little time passed (under about a second) to say."""
        busy, total = machine_jiffies()
        elapsed = total - self._total
        if elapsed < MIN_TICKS:
            return None
        own = 0
        for pid in {os.getpid(), *self.own_pids()}:
            now = process_jiffies(pid)
            if now is not None:
                own += now - self._own.get(pid, 0)  # processes started since: all theirs
        used = busy - self._busy
        return used / elapsed, max(0, used - own) / elapsed
