"""Helpers shared by the benchmarks (`make bench`, `make bench-scale`,
`make bench-load`): a scratch database and cache prefix of their own (the dev
database `weft` and its Redis keys are never touched), percentiles, a line
about the machine, and workspaces made through the real signup path."""

from __future__ import annotations

import os
import platform
import secrets
import statistics
import time
from dataclasses import dataclass, field
from unittest import mock

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/weft"
BENCH_PASSWORD = "Bench-pass-2026!"
LIST_PATH = "/api/v1/crm/customers/"


def _admin_connection():
    """An autocommit connection to the server's `postgres` database (for CREATE/DROP DATABASE)."""
    import environ
    import psycopg2

    url = environ.Env().db("DATABASE_URL", default=DEFAULT_DATABASE_URL)
    admin = psycopg2.connect(host=url["HOST"] or "127.0.0.1", port=url["PORT"] or 5432, user=url["USER"],
                             password=url["PASSWORD"] or None, dbname="postgres")
    admin.autocommit = True
    return admin


def use_scratch_database(name: str, cache_prefix: str) -> None:
    """(Re)create database ``name`` and point this process, and every process it
    starts, at it and at cache keys under ``cache_prefix``. Call before django.setup()."""
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    base = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{name}"
    os.environ["WEFT_CACHE_PREFIX"] = cache_prefix
    clear_cache_prefix(cache_prefix)


def drop_scratch_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def clear_cache_prefix(prefix: str) -> int:
    """Delete the Redis keys written under ``prefix`` (both caches: platform keys
    start with it, tenant keys carry it after their schema name). Never FLUSHDB:
    the Redis database is shared with the dev server and its workers."""
    import redis

    client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    deleted = 0
    for pattern in (f"{prefix}:*", f"*:{prefix}:*"):
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            deleted += client.delete(*keys)
    client.close()
    return deleted


def production_like_process() -> None:
    """Debug off (no query log, production error handling) for this process and
    the ones it starts; work that would be queued runs in the process instead."""
    os.environ["WEFT_DEBUG"] = "false"
    os.environ.setdefault("WEFT_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["WEFT_SECURE_COOKIES"] = "false"
    os.environ["WEFT_CELERY_EAGER"] = "true"
    os.environ["WEFT_LOG_LEVEL"] = "WARNING"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def fmt(values, tail: float = 0.95) -> str:
    label = f"p{round(tail * 100)}"
    return (f"p50 {statistics.median(values) * 1000:7.1f} ms   {label} {pct(values, tail) * 1000:7.1f} ms"
            f"   (n={len(values)})")


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_summary() -> str:
    """Cores, memory and the versions that matter, for the report's header."""
    import django
    from django.db import connection

    with open("/proc/meminfo") as meminfo:
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return (f"{os.cpu_count()} cores, {total_kib / 2**20:.0f} GiB RAM, PostgreSQL {postgres}, "
            f"Python {platform.python_version()}, Django {django.get_version()}")


def set_up_platform() -> float:
    """Shared migrations, the public tenant and the template; returns the seconds taken."""
    from django.core.management import call_command

    from tenants import provisioning
    from tenants.platform import ensure_public_tenant

    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, verbosity=0, interactive=False)
    ensure_public_tenant()
    provisioning.ensure_template()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Workspace:
    subdomain: str
    host: str
    token: str


@dataclass
class ProvisioningLog:
    """Per signup: its time, where its schema came from, and the pool refill after it."""

    signup_seconds: list[float] = field(default_factory=list)
    refill_seconds: list[float] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def provision_workspaces(numbers, *, customers: int, log: ProvisioningLog, progress=None) -> list[Workspace]:
    """Sign a workspace up for each of ``numbers`` through tenants.services.tenant_signup
    (the path of the signup form and API), then give its admin an API token and
    ``customers`` customers.

    In production a signup queues a pool refill that a worker runs after the
    commit; here that refill runs right after each signup, timed on its own and
    not in the signup's time, as a worker that keeps up would."""
    from django.conf import settings
    from django_tenants.utils import schema_context

    from core.users.models import User
    from core.users.services import token_create
    from modules.crm.services.customers import customer_create
    from tenants import provisioning
    from tenants.services import tenant_signup

    workspaces = []
    with mock.patch("tenants.services._refill_pool_later"):
        for number in numbers:
            subdomain = f"bench-{number}"
            started = time.perf_counter()
            result = tenant_signup(company_name=f"Bench {number}", subdomain=subdomain, admin_name="Ada Bench",
                                   admin_email=f"ada{number}@bench.test", admin_password=BENCH_PASSWORD)
            log.signup_seconds.append(time.perf_counter() - started)
            log.sources.append(result.provisioned_from)
            started = time.perf_counter()
            provisioning.refill_pool()
            log.refill_seconds.append(time.perf_counter() - started)
            with schema_context(result.tenant.schema_name):
                admin = User.objects.get(pk=result.admin_id)
                _token, secret = token_create(user=admin, name="benchmark")
                for index in range(customers):
                    customer_create(by=admin, name=f"Customer {number}-{index}")
            workspaces.append(Workspace(subdomain, f"{subdomain}.{settings.ROOT_DOMAIN}", secret))
            if progress:
                progress(len(workspaces))
    return workspaces
