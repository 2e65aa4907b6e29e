"""`make bench-scale`: Weft with many tenants on this machine (default 1,000),
measured in one run (no assertions; prints figures and ratios).

It works in a scratch database (weft_scale) with cache keys of its own, and
drops the database at the end unless --keep is given:
  - provisioning: every workspace is signed up through tenants.services.tenant_signup,
    the spare pool refilled after each signup as the worker does; signup p50/p95
    over the run and per tenth of it, where each schema came from, the refill time;
  - database size, in all and per workspace;
  - latency of a tenant list (GET /api/v1/crm/customers/, bearer token) with 1
    workspace and with all of them present, the ratio (goal <= 1.1);
  - `migrate_schemas --tenant` over every schema, a no-op and a one-column
    migration, with django-tenants' standard executor and its multiprocessing one.

The one-column migrations belong to a throwaway app (tests/benchmarks/scale_app),
installed only by the benchmark's settings; the run generates its migrations with
`makemigrations` into a temporary folder, so they never reach the real graph.

    .venv/bin/python -m tests.benchmarks.scale --tenants 30
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks._common import (
    LIST_PATH,
    ProvisioningLog,
    clear_cache_prefix,
    drop_scratch_database,
    fmt,
    load_average,
    machine_summary,
    production_like_process,
    provision_workspaces,
    set_up_platform,
    use_scratch_database,
)

SCALE_DB = os.environ.get("WEFT_SCALE_DATABASE", "weft_scale")
CACHE_PREFIX = "weft-scale"
MIGRATIONS_PACKAGE = "weft_scale_migrations"
BASE_DIR = Path(__file__).resolve().parents[2]
EXECUTORS = ("standard", "multiprocessing")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=1000, help="workspaces to sign up (default 1000)")
    parser.add_argument("--customers", type=int, default=25, help="customers per workspace (one list page)")
    parser.add_argument("--requests", type=int, default=1000, help="list requests per latency measurement")
    parser.add_argument("--processes", type=int, default=2,
                        help="TENANT_MULTIPROCESSING_MAX_PROCESSES for the multiprocessing executor")
    parser.add_argument("--keep", action="store_true", help=f"keep the scratch database {SCALE_DB}")
    args = parser.parse_args(argv)
    if args.tenants < 1 or args.requests < 1 or args.customers < 0 or args.processes < 1:
        parser.error("--tenants, --requests and --processes must be at least 1, --customers at least 0")
    return args


def prepare_environment(migrations_dir: Path, processes: int) -> None:
    """Settings, database and migrations package for this process and the
    manage.py processes it starts."""
    package = migrations_dir / MIGRATIONS_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("")
    sys.path.insert(0, str(migrations_dir))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(migrations_dir), os.environ.get("PYTHONPATH")]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    os.environ["WEFT_SCALE_MIGRATIONS"] = MIGRATIONS_PACKAGE
    os.environ["WEFT_SCALE_EXTRA_COLUMNS"] = "0"
    os.environ["WEFT_MIGRATE_PROCESSES"] = str(processes)
    production_like_process()


def manage(*arguments: str, extra_columns: int) -> float:
    """Run ``manage.py`` with the benchmark's settings; returns its wall time."""
    env = {**os.environ, "WEFT_SCALE_EXTRA_COLUMNS": str(extra_columns)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def list_latency(workspaces, requests: int) -> list[float]:
    """Seconds per GET of the customer list, each request to the next workspace in turn."""
    from django.test import Client

    clients = [Client(HTTP_HOST=w.host, HTTP_AUTHORIZATION=f"Bearer {w.token}") for w in workspaces]
    times = []
    for number in range(requests):
        client = clients[number % len(clients)]
        started = time.perf_counter()
        response = client.get(LIST_PATH)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{LIST_PATH} answered {response.status_code}: {response.content[:300]!r}")
    return times


def warm(workspaces, rounds: int = 1) -> None:
    """Untimed requests first: the hostname cache and this connection's catalog cache are filled."""
    list_latency(workspaces, rounds * len(workspaces))


def database_size() -> tuple[int, int]:
    """Bytes of the scratch database and rows of pg_class (tables, indexes, sequences...)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), (SELECT count(*) FROM pg_class)")
        return cursor.fetchone()


def schemas_with_column(column: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname = 'bench_scale_scalenote' AND a.attname = %s AND NOT a.attisdropped", [column],
        )
        return cursor.fetchone()[0]


def report_provisioning(log: ProvisioningLog, seconds: float) -> None:
    print(f"\nprovisioning {len(log.signup_seconds)} workspaces (tenant_signup, Argon2 hash of the admin's password "
          f"included; refill after each): {seconds / 60:.1f} min in all, refills and seed data included")
    print(f"  signup           : {fmt(log.signup_seconds)}")
    print(f"  pool refill after: {fmt(log.refill_seconds)}")
    print(f"  schema from the pool: {log.sources.count('pool')}, cloned during the signup: "
          f"{log.sources.count('clone')}")
    tenth = max(1, len(log.signup_seconds) // 10)
    print("  signup by position in the run (does it slow down as tenants accumulate?):")
    for start in range(0, len(log.signup_seconds), tenth):
        chunk = log.signup_seconds[start:start + tenth]
        print(f"    {start + 1:5d}-{start + len(chunk):<5d} {fmt(chunk)}")


def main(argv=None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    load_at_start = load_average()
    migrations_dir = Path(tempfile.mkdtemp(prefix="weft-scale-"))
    prepare_environment(migrations_dir, args.processes)
    use_scratch_database(SCALE_DB, CACHE_PREFIX)
    import django

    django.setup()
    from django.core.management import call_command

    from tenants import provisioning
    from tenants.models import Tenant

    try:
        print(f"Weft scale benchmark — {machine_summary()}; database {SCALE_DB}")
        print(f"{args.tenants} workspaces, {args.customers} customers each; {load_at_start} at start")
        call_command("makemigrations", "bench_scale", verbosity=0)
        print(f"set-up (shared migrations + template by migrations): {set_up_platform():.1f} s")
        provisioning.refill_pool()
        size_before, relations_before = database_size()

        log = ProvisioningLog()
        provisioning_started = time.perf_counter()
        workspaces = provision_workspaces([1], customers=args.customers, log=log)
        provisioning_seconds = time.perf_counter() - provisioning_started
        warm(workspaces, rounds=20)
        one_tenant = list_latency(workspaces[:1], args.requests)

        def progress(done):
            if (done + 1) % max(1, args.tenants // 10) == 0:
                print(f"  ... {done + 1}/{args.tenants} signed up, {(time.perf_counter() - started) / 60:.1f} min, "
                      f"{load_average()}", flush=True)

        provisioning_started = time.perf_counter()
        workspaces += provision_workspaces(range(2, args.tenants + 1), customers=args.customers, log=log,
                                           progress=progress)
        report_provisioning(log, provisioning_seconds + time.perf_counter() - provisioning_started)

        size, relations = database_size()
        print(f"\ndatabase size: {size / 2**20:,.0f} MiB with {args.tenants} workspaces "
              f"({size_before / 2**20:,.0f} MiB before them); "
              f"{(size - size_before) / args.tenants / 2**20:.2f} MiB per workspace")
        print(f"  catalog: {relations:,} rows in pg_class ({(relations - relations_before) / args.tenants:.0f} "
              "per workspace)")

        warm(workspaces[:1], rounds=20)
        same_tenant = list_latency(workspaces[:1], args.requests)
        warm(workspaces)
        spread = list_latency(workspaces, args.requests)
        p50 = statistics.median
        print(f"\nlist latency, GET {LIST_PATH} ({min(args.customers, 25)} rows, bearer token), in-process client, "
              "debug off:")
        print(f"  1 workspace present          : {fmt(one_tenant, 0.99)}")
        print(f"  {args.tenants:4d} present, same workspace : {fmt(same_tenant, 0.99)}")
        print(f"  {args.tenants:4d} present, each request to the next workspace (after one request to each): {fmt(spread, 0.99)}")
        print(f"  ratio {args.tenants} / 1 workspace, same workspace: p50 {p50(same_tenant) / p50(one_tenant):.2f}x"
              f"   (goal <= 1.1)")
        print(f"  ratio {args.tenants} / 1 workspace, spread        : p50 {p50(spread) / p50(one_tenant):.2f}x")

        schemas = Tenant.objects.exclude(schema_name="public").count()
        print(f"\nmigrate_schemas --tenant over {schemas} schemas (workspaces, template, spares), "
              f"own process each (~{manage('check', '-v', '0', extra_columns=0):.1f} s of it is Django start-up):")
        timings = {}
        for executor in EXECUTORS:
            timings["no-op", executor] = manage("migrate_schemas", "--tenant", "--noinput", "-v", "0",
                                                "--executor", executor, extra_columns=0)
        for column, executor in enumerate(EXECUTORS, start=1):
            manage("makemigrations", "bench_scale", "--name", f"extra_{column}", "-v", "0", extra_columns=column)
            timings["one column", executor] = manage("migrate_schemas", "--tenant", "--noinput", "-v", "0",
                                                     "--executor", executor, extra_columns=column)
            applied = schemas_with_column(f"extra_{column}")
            if applied != schemas:
                raise RuntimeError(f"extra_{column} reached {applied} of {schemas} schemas")
        for kind in ("no-op", "one column"):
            standard, parallel = timings[kind, "standard"], timings[kind, "multiprocessing"]
            print(f"  {kind:10s}: standard {standard:7.1f} s ({standard / schemas * 1000:5.0f} ms/schema)   "
                  f"multiprocessing x{args.processes} {parallel:7.1f} s ({parallel / schemas * 1000:5.0f} ms/schema)"
                  f"   ratio standard / multiprocessing {standard / parallel:.2f}x")
    finally:
        if args.keep:
            print(f"\n(scratch database {SCALE_DB} kept; the next run recreates it)")
        else:
            drop_scratch_database(SCALE_DB)
        clear_cache_prefix(CACHE_PREFIX)
        shutil.rmtree(migrations_dir, ignore_errors=True)
    print(f"\ntotal wall time {(time.perf_counter() - started) / 60:.1f} min; {load_average()} at the end")


if __name__ == "__main__":
    main()
