"""`make bench`: tenant provisioning and tenant-resolution figures, measured in
one run on this machine (no assertions; prints figures and ratios).

It works in a scratch database (weft_bench) so the dev data is untouched:
  - provisioning step p50/p95: claim from the spare pool, clone the template,
    plain migrations (the slow baseline), and their ratios;
  - the whole signup request (POST /api/v1/signup/) p50/p95 from the pool;
  - queries per request for a tenant page, cold vs warm tenant cache;
  - the template's table and index counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from tests.benchmarks._common import fmt, set_up_platform, use_scratch_database

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
BENCH_DB = os.environ.get("WEFT_BENCH_DATABASE", "weft_bench")
CACHE_PREFIX = "weft-bench"


def main(samples: int = 20, migrate_samples: int = 3) -> None:
    use_scratch_database(BENCH_DB, CACHE_PREFIX)
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tenants import provisioning
    from tenants.models import Tenant

    print(f"Weft provisioning benchmark — {os.cpu_count()} cores, database {BENCH_DB}")
    print(f"set-up (shared migrations + template by migrations): {set_up_platform():.1f} s")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [provisioning.template_schema()])
        tables = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s", [provisioning.template_schema()])
        indexes = cursor.fetchone()[0]
    print(f"template schema: {tables} tables, {indexes} indexes")

    def timed(step, n):
        out = []
        for _ in range(n):
            started = time.perf_counter()
            step()
            out.append(time.perf_counter() - started)
        return out

    # Each provisioning step runs in a transaction that is rolled back, so
    # every sample starts from the same state.
    def in_rollback(fn):
        def run():
            with transaction.atomic():
                fn()
                transaction.set_rollback(True)
        return run

    provisioning.refill_pool(samples)

    def claim():
        spare = provisioning.claim_spare()
        spare.kind = "customer"
        spare.save(update_fields=["kind"])
        with connection.cursor() as cursor:  # the schema is usable: a query inside it
            cursor.execute(f'SELECT count(*) FROM "{spare.schema_name}".users_user')

    def clone():
        name = provisioning.new_schema_name()
        provisioning.clone_template_into(name)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{name}".users_user')

    pool_times = timed(in_rollback(claim), samples)
    clone_times = timed(in_rollback(clone), samples)

    migrate_times = []
    for _ in range(migrate_samples):
        name = provisioning.new_schema_name()
        tenant = Tenant.objects.create(schema_name=name, kind="template", name="bench")
        started = time.perf_counter()
        provisioning.create_schema_by_migrations(name)
        migrate_times.append(time.perf_counter() - started)
        tenant.delete(force_drop=True)

    print("\nprovisioning step (until the schema is usable):")
    print(f"  spare pool claim : {fmt(pool_times)}")
    print(f"  clone template   : {fmt(clone_times)}")
    print(f"  plain migrations : {fmt(migrate_times)}")
    p50 = statistics.median
    print(f"  ratio clone / pool       : {p50(clone_times) / p50(pool_times):6.1f}x")
    print(f"  ratio migrations / clone : {p50(migrate_times) / p50(clone_times):6.1f}x")
    print(f"  ratio migrations / pool  : {p50(migrate_times) / p50(pool_times):6.1f}x")

    client = Client(HTTP_HOST="localhost")
    signup_times, sources = [], []
    provisioning.refill_pool(samples)
    for n in range(samples):
        body = {"company_name": f"Bench {n}", "subdomain": f"bench-{n}", "admin_name": "Ben Bench",
                "admin_email": f"ben{n}@bench.test", "admin_password": "Bench-pass-2026!"}
        spares_before = provisioning.spare_count()
        started = time.perf_counter()
        response = client.post("/api/v1/signup/", body, content_type="application/json",
                               REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}")
        signup_times.append(time.perf_counter() - started)
        assert response.status_code == 201, response.content
        sources.append("pool" if provisioning.spare_count() < spares_before else "clone")
    print("\nwhole signup request (POST /api/v1/signup/, Argon2 password hash included):")
    print(f"  {fmt(signup_times)}   from pool: {sources.count('pool')}/{len(sources)}")

    tenant_client = Client(HTTP_HOST="bench-0.localhost")
    caches["platform"].delete("tenant-host:bench-0.localhost")

    def resolution_queries():
        with CaptureQueriesContext(connection) as queries:
            tenant_client.get("/accounts/login/")
        return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]

    cold = resolution_queries()
    warm = resolution_queries()
    print("\nqueries per request, tenant login page (no session):")
    print(f"  cold tenant cache: {len(cold)}   warm tenant cache: {len(warm)}")
    for sql in warm:
        print(f"    warm query: {sql[:100]}")

    connection.set_schema_to_public()
    connection.close()
    print(f"\n(scratch database {BENCH_DB} left in place for inspection; `make bench` recreates it)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
