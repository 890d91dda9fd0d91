"""Peak memory of the server's workers (VmHWM from /proc), after all other scenarios."""

from bench.scenarios.base import Context, Figure, Result, Scenario
from bench.server import proc_status_kib


def run(ctx: Context) -> Result:
    ctx.server.sample_memory()
    peaks = ctx.server.peak_kib
    master = proc_status_kib(ctx.server.process.pid, "VmHWM")
    result = Result()
    if not peaks:
        result.details.append("No worker found under the gunicorn master.")
        return result
    biggest = max(peaks.values())
    result.figures.append(Figure("Peak RSS of one server worker", f"{biggest / 1024:.0f} MiB"))
    result.figures.append(
        Figure(
            f"Peak RSS of all {len(peaks)} workers + master",
            f"{(sum(peaks.values()) + (master or 0)) / 1024:.0f} MiB",
        )
    )
    result.details.append(
        "VmHWM (peak resident set) read from `/proc/<pid>/status` after every scenario: "
        + ", ".join(f"worker {pid}: {kib / 1024:.0f} MiB" for pid, kib in sorted(peaks.items()))
        + (f", master: {master / 1024:.0f} MiB." if master else ".")
    )
    return result


SCENARIO = Scenario("memory", "Server memory", run)
