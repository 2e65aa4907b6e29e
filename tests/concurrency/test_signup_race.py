"""Ten signups of one subdomain at the same moment, on real parallel
connections that commit: exactly one wins, the others get a clear 400-style
error, and no orphan schema, tenant or domain row is left behind."""

import threading

import pytest
from django.db import connection, connections

from core.errors import DomainError
from tenants.models import Domain, Tenant
from tenants.services import tenant_signup

pytestmark = pytest.mark.concurrency


def orphans() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        schemas = {row[0] for row in cursor.fetchall()}
    rows = set(Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    return {"schemas_without_tenant": schemas - rows, "tenants_without_schema": rows - schemas}


def test_ten_concurrent_signups_of_one_subdomain(django_db_setup, django_db_blocker):
    outcomes: list[str] = []
    barrier = threading.Barrier(10)

    def attempt(n):
        try:
            barrier.wait()
            tenant_signup(
                company_name=f"Race {n}", subdomain="race-co", admin_name=f"Racer {n}",
                admin_email=f"racer{n}@race.test", admin_password="Race-pass-2026!",
            )
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append("taken" if "subdomain" in exc.fields else f"other: {exc.fields}")
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(f"crash: {exc!r}")
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        try:
            threads = [threading.Thread(target=attempt, args=(n,)) for n in range(10)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert sorted(outcomes) == ["taken"] * 9 + ["won"], outcomes
            assert Tenant.objects.filter(subdomain="race-co").count() == 1
            assert Domain.objects.filter(domain="race-co.localhost").count() == 1
            assert orphans() == {"schemas_without_tenant": set(), "tenants_without_schema": set()}
        finally:
            connection.set_schema_to_public()
            for tenant in Tenant.objects.filter(subdomain="race-co"):
                tenant.delete(force_drop=True)
