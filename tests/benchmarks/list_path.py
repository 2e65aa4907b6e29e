"""Where a tenant API list request spends its time, in-process (no assertions;
prints figures).

In a scratch database (weft_list_path, dropped at the end unless --keep) it
signs up one workspace through the real signup path with an API token and a
page of customers, then, with debug off and through Django's test client (the
whole middleware stack, no network), times:
  - the tenant list GET /api/v1/crm/customers/ (bearer token, one page),
  - a tenant JSON endpoint without pagination, GET /api/v1/me/ (bearer token),
  - the bare JSON view /bench/bare/ on the root host (the load run's baseline)
    and on the workspace host (what the tenant middleware alone adds),
with the queries each one runs; --profile adds a cProfile of the list requests,
sorted by own time and by cumulative time.

    .venv/bin/python -m tests.benchmarks.list_path --requests 500 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

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

LIST_PATH_DB = os.environ.get("WEFT_LIST_PATH_DATABASE", "weft_list_path")
CACHE_PREFIX = "weft-list-path"
ME_PATH = "/api/v1/me/"
BARE_PATH = "/bench/bare/"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--customers", type=int, default=25, help="customers in the workspace (one list page)")
    parser.add_argument("--profile", action="store_true", help="cProfile the list requests")
    parser.add_argument("--top", type=int, default=35, help="rows of each profile table")
    parser.add_argument("--keep", action="store_true", help=f"keep the scratch database {LIST_PATH_DB}")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.customers < 0 or args.top < 1:
        parser.error("--requests and --top must be at least 1, --customers at least 0")
    return args


def timed_requests(client, path: str, requests: int) -> list[float]:
    """Seconds per GET of ``path``; every answer must be a 200."""
    times = []
    for _number in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return times


def queries_of(client, path: str) -> list[str]:
    """The SQL of one (warm) request to ``path``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [query["sql"] for query in captured.captured_queries]


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.settings"
    production_like_process()
    use_scratch_database(LIST_PATH_DB, CACHE_PREFIX)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    try:
        print(f"Weft list path — {machine_summary()}; database {LIST_PATH_DB}; {load_average()} at start")
        set_up_platform()
        (workspace,) = provision_workspaces([1], customers=args.customers, log=ProvisioningLog())
        bearer = f"Bearer {workspace.token}"
        endpoints = {
            f"tenant list  GET {LIST_PATH}": (Client(HTTP_HOST=workspace.host, HTTP_AUTHORIZATION=bearer),
                                              LIST_PATH),
            f"tenant JSON  GET {ME_PATH}": (Client(HTTP_HOST=workspace.host, HTTP_AUTHORIZATION=bearer), ME_PATH),
            f"bare view    GET {BARE_PATH} (workspace host)": (Client(HTTP_HOST=workspace.host), BARE_PATH),
            f"bare view    GET {BARE_PATH} (root host)": (Client(HTTP_HOST=settings.ROOT_DOMAIN), BARE_PATH),
        }
        for client, path in endpoints.values():  # warm: caches, connection, imports
            timed_requests(client, path, 20)
        print(f"\nper request, in-process, debug off, {args.requests} requests each after 20 untimed:")
        medians = {}
        for label, (client, path) in endpoints.items():
            times = timed_requests(client, path, args.requests)
            medians[label] = sorted(times)[len(times) // 2]
            print(f"  {label:52s} {fmt(times)}   {len(queries_of(client, path))} queries")
        bare_root = medians[f"bare view    GET {BARE_PATH} (root host)"]
        for label, median in medians.items():
            print(f"  median / bare view (root host): {median / bare_root:5.1f}x  {label}")

        list_client, _path = endpoints[f"tenant list  GET {LIST_PATH}"]
        print(f"\nqueries of one list request:")
        for sql in queries_of(list_client, LIST_PATH):
            print(f"  {sql[:220]}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(timed_requests, list_client, LIST_PATH, args.requests)
            stats = pstats.Stats(profiler)
            stats.strip_dirs()
            for order in ("tottime", "cumulative"):
                print(f"\ncProfile of {args.requests} list requests, by {order}:")
                stats.sort_stats(order).print_stats(args.top)
    finally:
        if args.keep:
            print(f"\n(scratch database {LIST_PATH_DB} kept; the next run recreates it)")
        else:
            drop_scratch_database(LIST_PATH_DB)
        clear_cache_prefix(CACHE_PREFIX)
    print(f"{load_average()} at the end")


if __name__ == "__main__":
    main()
