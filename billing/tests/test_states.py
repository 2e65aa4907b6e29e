"""Subscription state drives the tenant state: trialing -> active, payment
failed -> past_due (grace: full access; after grace: read-only), canceled or
unpaid -> suspended, reactivation -> active; trials that end without a
subscription are suspended, never deleted."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription
from billing.tasks import expire_trials
from core.users.models import User
from tenants.models import Tenant, TenantState
from tenants.services import tenant_set_state

from .conftest import PORTAL_URL, billing_audit, error_of, event, invoice_object, subscription_object

NOW = int(time.time())
DAY = 86400


def tenant_row(tenant) -> Tenant:
    return Tenant.objects.get(pk=tenant.pk)


def members(tenant) -> list[str]:
    with schema_context(tenant.schema_name):
        return sorted(User.objects.values_list("email", flat=True))


def invite(api, email="new@alpha.test"):
    return api.post("/api/v1/users/invite/", {"email": email, "full_name": "New Person"}, format="json")


def test_trialing_then_active(stripe_on, linked_a, tenant_a, deliver):
    first = event("customer.subscription.created", subscription_object(status="trialing"), created=NOW - 10)
    deliver(first)
    assert tenant_row(tenant_a).state == "trialing"
    second = event("customer.subscription.updated", subscription_object(status="active"), created=NOW)
    deliver(second)
    row = tenant_row(tenant_a)
    assert (row.state, row.grace_ends_at) == ("active", None)
    assert ("update", f"workspace trialing -> active (customer.subscription.updated {second['id']})") in (
        billing_audit(tenant_a))


def test_payment_failed_gives_a_grace_period_with_full_access(stripe_on, live_a, tenant_a, admin_a, api_for,
                                                             web_for, deliver, settings):
    failed_at = NOW - 2 * DAY
    deliver(event("invoice.payment_failed", invoice_object(), created=failed_at))
    row = tenant_row(tenant_a)
    assert row.state == "past_due"
    assert row.grace_ends_at.timestamp() == failed_at + settings.GRACE_PERIOD_DAYS * DAY
    assert Subscription.objects.get(pk=live_a.pk).past_due_since.timestamp() == failed_at
    assert row.is_read_only is False
    api = api_for(tenant_a, admin_a)
    assert invite(api).status_code == 201
    assert "new@alpha.test" in members(tenant_a)
    page = web_for(tenant_a, admin_a).get("/")
    assert page.status_code == 200
    assert b'data-billing="banner"' in page.content
    assert b"The last payment failed. Full access continues until" in page.content


def test_after_the_grace_period_writes_are_refused_and_reads_work(stripe_on, live_a, tenant_a, admin_a, api_for,
                                                                 web_for, deliver):
    deliver(event("invoice.payment_failed", invoice_object(), created=NOW - 8 * DAY))
    assert tenant_row(tenant_a).is_read_only is True
    before = members(tenant_a)
    api = api_for(tenant_a, admin_a)
    error = error_of(invite(api), 403)
    assert error["code"] == "permission_denied"
    assert error["message"].startswith("Payment is overdue and the grace period has ended")
    assert members(tenant_a) == before
    assert api.get("/api/v1/users/").status_code == 200
    assert api.get("/api/v1/billing/").json()["read_only"] is True
    web = web_for(tenant_a, admin_a)
    page = web.get("/settings/")
    assert page.status_code == 200 and b"this workspace is read-only" in page.content
    refused = web.post("/settings/", {"name": "Renamed", "language": "en", "timezone": "UTC"})
    assert refused.status_code == 403
    assert b"This workspace is read-only" in refused.content
    assert tenant_row(tenant_a).name == "Alpha Ltd"
    # Paying stays possible, and so does signing out.
    stripe_on.portal_create()
    assert api.post("/api/v1/billing/portal/").json() == {"url": PORTAL_URL}
    assert web.post("/billing/portal/").status_code == 302
    assert web.post("/accounts/logout/").status_code == 302


def test_paying_restores_full_access(stripe_on, live_a, tenant_a, admin_a, api_for, deliver):
    deliver(event("invoice.payment_failed", invoice_object(), created=NOW - 8 * DAY))
    deliver(event("invoice.paid", invoice_object(), created=NOW))
    row = tenant_row(tenant_a)
    assert (row.state, row.grace_ends_at, row.is_read_only) == ("active", None, False)
    assert Subscription.objects.get(pk=live_a.pk).past_due_since is None
    assert invite(api_for(tenant_a, admin_a)).status_code == 201


@pytest.mark.parametrize("final", ["canceled", "unpaid"])
def test_canceled_or_unpaid_suspends_and_reactivation_restores(final, stripe_on, live_a, tenant_a, admin_a,
                                                               api_for, deliver):
    api = api_for(tenant_a, admin_a)
    deliver(event("customer.subscription.updated", subscription_object(status="past_due"), created=NOW - 20))
    kind = "customer.subscription.deleted" if final == "canceled" else "customer.subscription.updated"
    deliver(event(kind, subscription_object(status=final), created=NOW - 10))
    row = tenant_row(tenant_a)
    assert (row.state, row.grace_ends_at) == ("suspended", None)
    assert api.get("/api/v1/me/").status_code == 403
    assert Tenant.objects.filter(pk=tenant_a.pk).exists()
    if final == "unpaid":  # the open invoice is paid in Stripe: same subscription, active again
        deliver(event("invoice.paid", invoice_object(), created=NOW))
    else:  # a new subscription replaces the canceled one
        deliver(event("customer.subscription.created", subscription_object(id="sub_again", status="active"),
                      created=NOW))
    assert tenant_row(tenant_a).state == "active"
    assert api.get("/api/v1/me/").status_code == 200


def test_scheduled_deletion_is_not_undone_by_billing(stripe_on, live_a, tenant_a, deliver):
    tenant_set_state(tenant=tenant_a, state=TenantState.SCHEDULED_FOR_DELETION)
    deliver(event("customer.subscription.updated", subscription_object(status="active"), created=NOW))
    assert tenant_row(tenant_a).state == "scheduled_for_deletion"
    assert Subscription.objects.get(pk=live_a.pk).status == "active"


def test_incomplete_subscription_leaves_the_state_alone(stripe_on, linked_a, tenant_a, deliver):
    deliver(event("customer.subscription.created", subscription_object(status="incomplete"), created=NOW))
    assert tenant_row(tenant_a).state == "trialing"
    assert Subscription.objects.get(pk=linked_a.pk).status == "incomplete"


# ------------------------------------------------------------------ trial expiry


def _schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


def test_trial_end_without_subscription_suspends_and_never_deletes(stripe_on, tenant_a, tenant_b, admin_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(trial_ends_at=timezone.now() - timedelta(minutes=1))
    Tenant.objects.filter(pk=tenant_b.pk).update(trial_ends_at=timezone.now() + timedelta(days=1))
    suspended = expire_trials.apply().get()
    assert "alpha" in suspended and "beta" not in suspended
    assert tenant_row(tenant_a).state == "suspended"
    assert tenant_row(tenant_b).state == "trialing"
    assert _schema_exists(tenant_a.schema_name)
    assert members(tenant_a) == [admin_a.email]
    assert billing_audit(tenant_a)[-1] == ("update", "trial ended without a subscription: workspace suspended")
    assert Client(HTTP_HOST="alpha.localhost").get("/").status_code == 403
    assert "alpha" not in expire_trials.apply().get()  # already suspended: nothing to do twice


def test_trial_end_with_a_live_subscription_is_left_to_stripe(stripe_on, tenant_a):
    Subscription.objects.create(tenant=tenant_a, plan=Plan.objects.get(code="starter"), stripe_customer_id="cus_alpha",
                                stripe_subscription_id="sub_alpha", status="trialing")
    Tenant.objects.filter(pk=tenant_a.pk).update(trial_ends_at=timezone.now() - timedelta(minutes=1))
    assert "alpha" not in expire_trials.apply().get()
    assert tenant_row(tenant_a).state == "trialing"


def test_offline_installs_keep_their_trial(stripe_off, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(trial_ends_at=timezone.now() - timedelta(days=30))
    assert expire_trials.apply().get() == []
    assert tenant_row(tenant_a).state == "trialing"


def test_payment_does_not_lift_a_suspension_by_ops(stripe_on, live_a, tenant_a, deliver):
    from tenants import lifecycle

    lifecycle.tenant_suspend(tenant=tenant_a, by=None, reason="abuse report 17")
    deliver(event("invoice.paid", invoice_object(), created=NOW))
    assert tenant_row(tenant_a).state == TenantState.SUSPENDED
    lifecycle.tenant_reactivate(tenant=tenant_a, by=None, reason="abuse report closed")
    assert tenant_row(tenant_a).state in (TenantState.ACTIVE, TenantState.TRIALING)
