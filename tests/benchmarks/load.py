"""`make bench-load`: a load run against gunicorn on 127.0.0.1 (no assertions;
prints figures and ratios).

In a scratch database (weft_load, dropped at the end unless --keep) it signs up
50 workspaces through the real signup path, each with an API token and a page
of customers, starts gunicorn with the benchmark's settings (debug off, a bare
JSON view at /bench/bare/) on a free port from 8100, and measures in one run:
  - maximum throughput and p99 (wrk, closed loop) of the tenant list
    GET /api/v1/crm/customers/, spread over the 50 workspace hosts with their
    bearer tokens, and of the bare view on the root host; the ratio
    (goal: the tenant list reaches >= 0.5 of the bare view's throughput);
  - p50/p99 at a fixed offered load (default 100 requests/s), sent on schedule
    whatever the answers (open model) by a small asyncio generator below, each
    latency counted from the request's scheduled time (goal: p99 < 100 ms).

    .venv/bin/python -m tests.benchmarks.load --tenants 10 --duration 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks._common import (
    LIST_PATH,
    ProvisioningLog,
    clear_cache_prefix,
    drop_scratch_database,
    fmt,
    load_average,
    machine_summary,
    pct,
    production_like_process,
    provision_workspaces,
    set_up_platform,
    use_scratch_database,
)

LOAD_DB = os.environ.get("WEFT_LOAD_DATABASE", "weft_load")
CACHE_PREFIX = "weft-load"
BARE_PATH = "/bench/bare/"
BASE_DIR = Path(__file__).resolve().parents[2]
WRK_SCRIPT = Path(__file__).with_name("rotate.lua")
FIRST_PORT = 8100
STARTUP_SECONDS = 30
REQUEST_TIMEOUT = 10.0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=50, help="workspaces the requests are spread over")
    parser.add_argument("--customers", type=int, default=25, help="customers per workspace (one list page)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn sync workers (default cores + 1, as gunicorn.conf.py)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for the throughput runs")
    parser.add_argument("--duration", type=int, default=30, help="seconds of each throughput run")
    parser.add_argument("--rate", type=float, default=100.0, help="offered load of the fixed-rate runs, requests/s")
    parser.add_argument("--rate-duration", type=int, default=30, help="seconds of each fixed-rate run")
    parser.add_argument("--keep", action="store_true", help=f"keep the scratch database {LOAD_DB}")
    args = parser.parse_args(argv)
    if min(args.tenants, args.workers, args.connections, args.duration, args.rate_duration) < 1 or args.rate <= 0:
        parser.error("counts, durations and the rate must be positive")
    return args


@dataclass(frozen=True)
class Target:
    host: str
    token: str
    path: str

    def request_bytes(self) -> bytes:
        auth = f"Authorization: Bearer {self.token}\r\n" if self.token else ""
        return f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\n{auth}Connection: close\r\n\r\n".encode()


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    p50: float
    p99: float
    non_2xx: int
    socket_errors: int


def free_port() -> int:
    for port in range(FIRST_PORT, FIRST_PORT + 900):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port from {FIRST_PORT}")


def start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "WEFT_PUBLIC_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "core.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
             "--no-control-socket"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    health = Target("localhost", "", "/healthz")
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if asyncio.run(fetch(port, health)) == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()[-3000:]}")


def wait_until_idle(port: int, seconds: float = 180) -> None:
    """After an overload, gunicorn still works through the connections queued
    in its backlog (clients long gone): wait until a health check is quick again
    so the next measurement starts from an idle server."""
    health = Target("localhost", "", "/healthz")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            asyncio.run(asyncio.wait_for(fetch(port, health), REQUEST_TIMEOUT))
            if time.monotonic() - started < 0.1:
                return
        except (OSError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"The server was still busy {seconds:.0f} s after the last run")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def fetch(port: int, target: Target) -> int:
    """One GET on a new connection (gunicorn's sync workers close it after the answer); returns the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(target.request_bytes())
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()
    finally:
        writer.close()
    return int(status_line.split()[1])


async def constant_rate(port: int, targets: list[Target], rate: float, seconds: int):
    """Send ``rate`` requests per second for ``seconds``, each at its scheduled
    time whether or not earlier ones have been answered; returns the latencies
    (from the scheduled time) of the 200 answers, the failures and the seconds
    until the last answer."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    latencies, failures = [], []

    async def one(number: int) -> None:
        scheduled = start + number / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        try:
            status = await asyncio.wait_for(fetch(port, targets[number % len(targets)]), REQUEST_TIMEOUT)
        except (TimeoutError, OSError) as exc:
            failures.append(type(exc).__name__)
            return
        if status == 200:
            latencies.append(loop.time() - scheduled)
        else:
            failures.append(str(status))

    await asyncio.gather(*(one(number) for number in range(round(rate * seconds))))
    return latencies, failures, loop.time() - start


def wrk(port: int, targets_file: Path, connections: int, seconds: int) -> Throughput:
    """Closed-loop maximum throughput: ``connections`` requests always in flight."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}/", "--", str(targets_file)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"^WEFT (.*)$", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"Unexpected wrk output:\n{output}")
    values = dict(pair.split("=") for pair in match.group(1).split())
    return Throughput(
        requests_per_second=int(values["requests"]) / float(values["seconds"]),
        p50=int(values["p50_us"]) / 1e6, p99=int(values["p99_us"]) / 1e6,
        non_2xx=int(values["non2xx"]), socket_errors=int(values["socket_errors"]),
    )


def write_targets(path: Path, targets: list[Target]) -> Path:
    path.write_text("".join(f"{t.host}\t{t.token}\t{t.path}\n" for t in targets))
    return path


def throughput_line(label: str, result: Throughput) -> str:
    return (f"  {label}: {result.requests_per_second:7.1f} req/s   p50 {result.p50 * 1000:6.1f} ms   "
            f"p99 {result.p99 * 1000:6.1f} ms   non-2xx {result.non_2xx}, socket errors {result.socket_errors}")


def main(argv=None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    load_at_start = load_average()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (`make bench-load` does it).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    production_like_process()
    use_scratch_database(LOAD_DB, CACHE_PREFIX)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from tenants import provisioning

    work_dir = Path(tempfile.mkdtemp(prefix="weft-load-"))
    server = None
    try:
        print(f"Weft load benchmark — {machine_summary()}; database {LOAD_DB}")
        print(f"{load_at_start} at start")
        set_up_platform()
        provisioning.refill_pool()
        log = ProvisioningLog()
        workspaces = provision_workspaces(range(1, args.tenants + 1), customers=args.customers, log=log)
        print(f"{args.tenants} workspaces signed up (signup {fmt(log.signup_seconds)}; "
              f"{log.sources.count('pool')} from the pool), {args.customers} customers each")
        connections.close_all()

        tenant_targets = [Target(w.host, w.token, LIST_PATH) for w in workspaces]
        bare_targets = [Target(settings.ROOT_DOMAIN, "", BARE_PATH)]
        bare_label = f"bare view    GET {BARE_PATH} on {settings.ROOT_DOMAIN}"
        tenant_label = f"tenant list  GET {LIST_PATH} over {args.tenants} workspace hosts"
        runs = {bare_label: bare_targets, tenant_label: tenant_targets}
        port = free_port()
        server = start_gunicorn(port, args.workers, work_dir / "gunicorn.log")
        print(f"gunicorn on 127.0.0.1:{port}, {args.workers} sync workers\n")

        throughput = {}
        for number, (label, targets) in enumerate(runs.items()):
            wait_until_idle(port)
            targets_file = write_targets(work_dir / f"targets-{number}.tsv", targets)
            wrk(port, targets_file, args.connections, max(3, args.duration // 5))  # warm-up, not counted
            throughput[label] = wrk(port, targets_file, args.connections, args.duration)
        print(f"maximum throughput (wrk, closed loop, {args.connections} connections, {args.duration} s each, "
              "after a warm-up):")
        for label, result in throughput.items():
            print(throughput_line(label, result))
        ratio = throughput[tenant_label].requests_per_second / throughput[bare_label].requests_per_second
        print(f"  ratio tenant list / bare view throughput: {ratio:.2f}   (goal >= 0.5)")

        print(f"\nfixed offered load {args.rate:g} req/s for {args.rate_duration} s (open model; latency from the "
              "scheduled send time, new connection per request):")
        for label, targets in runs.items():
            wait_until_idle(port)
            latencies, failures, seconds = asyncio.run(constant_rate(port, targets, args.rate, args.rate_duration))
            failed = ", ".join(f"{count} {kind}" for kind, count in Counter(failures).most_common()) or "none failed"
            answered = f"{len(latencies)} answered 200 in {seconds:.1f} s; {failed}"
            if not latencies:
                print(f"  {label}: {answered}")
                continue
            print(f"  {label}: {fmt(latencies, 0.99)}   max {max(latencies) * 1000:.0f} ms; {answered}")
            if label == tenant_label:
                print(f"    goal p99 < 100 ms: {'met' if pct(latencies, 0.99) < 0.1 else 'NOT met'} "
                      f"(mean {statistics.mean(latencies) * 1000:.1f} ms)")
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"\n(scratch database {LOAD_DB} kept; the next run recreates it)")
        else:
            drop_scratch_database(LOAD_DB)
        clear_cache_prefix(CACHE_PREFIX)
        shutil.rmtree(work_dir, ignore_errors=True)
    print(f"\ntotal wall time {(time.perf_counter() - started) / 60:.1f} min; {load_average()} at the end")


if __name__ == "__main__":
    main()
