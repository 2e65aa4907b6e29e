"""Real parallel connections that commit: the same Stripe event delivered by
eight threads at once is stored once and applied once; two invitations racing
for the last seat cannot both take it. Everything committed is removed after."""

import threading
import time

import pytest
from django.db import connection, connections
from django_tenants.utils import schema_context

from billing.models import Plan, StripeEvent, Subscription, SubscriptionStatus
from core.audit.models import AuditEntry
from core.errors import DomainError
from core.users.models import User
from core.users.services import user_invite
from tenants.models import Tenant
from tenants.services import tenant_signup

from .conftest import event, invoice_object, signed_post

pytestmark = pytest.mark.concurrency


@pytest.fixture
def committed_tenant(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = tenant_signup(company_name="Race Billing", subdomain="race-billing", admin_name="Rae",
                               admin_email="rae@race.test", admin_password="Race-billing-2026")
        connection.set_schema_to_public()
        try:
            yield result.tenant
        finally:
            connection.set_schema_to_public()
            StripeEvent.objects.filter(tenant__subdomain="race-billing").delete()
            StripeEvent.objects.filter(payload__data__object__customer="cus_race").delete()
            for tenant in Tenant.objects.filter(subdomain="race-billing"):
                tenant.delete(force_drop=True)


def run_together(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def attempt(n):
        try:
            barrier.wait()
            outcomes.append(work(n))
        except Exception as exc:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_concurrent_duplicate_deliveries_store_and_apply_once(stripe_on, committed_tenant, django_db_blocker):
    with django_db_blocker.unblock():
        Subscription.objects.create(tenant=committed_tenant, plan=Plan.objects.get(code="enterprise"),
                                    stripe_customer_id="cus_race", stripe_subscription_id="sub_race",
                                    stripe_item_id="si_race", status=SubscriptionStatus.ACTIVE)
        Tenant.objects.filter(pk=committed_tenant.pk).update(state="active")
        payload = event("invoice.payment_failed", invoice_object(subscription="sub_race", customer="cus_race"),
                        created=int(time.time()))

        outcomes = run_together(8, lambda n: signed_post(payload))

        assert [getattr(r, "status_code", r) for r in outcomes] == [200] * 8
        assert sorted(r.json()["duplicate"] for r in outcomes) == [False] + [True] * 7
        rows = list(StripeEvent.objects.filter(event_id=payload["id"]))
        assert len(rows) == 1
        assert (rows[0].attempts, rows[0].outcome) == (1, "applied: past_due")
        assert Tenant.objects.get(pk=committed_tenant.pk).state == "past_due"
        with schema_context(committed_tenant.schema_name):
            entries = list(AuditEntry.objects.filter(object_type="billing.subscription").values_list("message",
                                                                                                     flat=True))
        assert entries == [f"workspace active -> past_due (invoice.payment_failed {payload['id']})"]


def test_two_invitations_racing_for_the_last_seat(committed_tenant, django_db_blocker):
    with django_db_blocker.unblock():
        with schema_context(committed_tenant.schema_name):
            for n in range(8):  # trial: 10 seats; the admin holds one
                User.objects.create_user(f"member{n}@race.test", "x", full_name=f"Member {n}")
            admin = User.objects.get(email="rae@race.test")

        def invite(n):
            with schema_context(committed_tenant.schema_name):
                return user_invite(by=admin, email=f"racer{n}@race.test", full_name=f"Racer {n}")

        outcomes = run_together(2, invite)
        kinds = sorted(type(o).__name__ for o in outcomes)
        assert kinds == ["DomainError", "User"], outcomes
        [refusal] = [o for o in outcomes if isinstance(o, DomainError)]
        assert refusal.code == "conflict"
        with schema_context(committed_tenant.schema_name):
            assert User.objects.filter(email__startswith="racer").count() == 1
            assert User.objects.count() == 10
