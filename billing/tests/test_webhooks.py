"""POST /billing/webhook/ on the root domain: signature checks (unsigned,
tampered, wrong secret, too old), storing each event once, duplicate and
out-of-order deliveries, routing into the right tenant, failures kept for retry."""

import json
import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from billing.models import StripeEvent, Subscription
from billing.tasks import retry_pending_events
from core.audit.models import AuditEntry
from tenants.models import Tenant

from .conftest import (
    billing_audit, checkout_object, error_of, event, invoice_object, signed_post, subscription_object,
)

pytestmark = pytest.mark.django_db
NOW = int(time.time())


def state_of(tenant) -> str:
    return Tenant.objects.get(pk=tenant.pk).state


# ------------------------------------------------------------------ signatures


@pytest.mark.parametrize("case", ["unsigned", "tampered", "wrong_secret", "too_old", "garbage_header"])
def test_bad_deliveries_are_refused_and_nothing_is_stored(case, stripe_on, linked_a, tenant_a):
    payload = event("customer.subscription.updated", subscription_object(status="canceled"), created=NOW)
    if case == "unsigned":
        response = signed_post(payload, signature="")
    elif case == "tampered":
        tampered = dict(payload, data={"object": subscription_object(status="active")})
        response = signed_post(payload, body=json.dumps(tampered))
    elif case == "wrong_secret":
        response = signed_post(payload, secret="whsec_not_ours")
    elif case == "too_old":
        response = signed_post(payload, timestamp=NOW - 301)
    else:
        response = signed_post(payload, signature="t=1,v1=deadbeef")
    error = error_of(response, 400)
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Refused: ")
    assert StripeEvent.objects.count() == 0
    assert state_of(tenant_a) == "trialing"
    assert Subscription.objects.get(pk=linked_a.pk).status == "none"


def test_a_signed_body_that_is_not_an_event_is_refused(stripe_on):
    response = signed_post({"hello": "world"})
    assert error_of(response, 400)["message"] == "Refused: The body is not a Stripe event."
    assert StripeEvent.objects.count() == 0


def test_webhooks_are_refused_when_billing_is_not_configured(stripe_off):
    response = signed_post(event("invoice.paid", invoice_object(), created=NOW))
    assert error_of(response, 400)["message"] == "Refused: Billing is not configured: webhooks are not accepted."
    assert StripeEvent.objects.count() == 0


def test_only_post_on_the_root_domain(stripe_on, tenant_a):
    assert Client(HTTP_HOST="localhost").get("/billing/webhook/").status_code == 405
    # Tenant hosts have no webhook route.
    response = signed_post(event("invoice.paid", invoice_object(), created=NOW),
                           client=Client(HTTP_HOST="alpha.localhost"))
    assert response.status_code == 404
    assert StripeEvent.objects.count() == 0


# ------------------------------------------------------------------ storing and processing


def test_valid_event_is_stored_and_processed_in_the_tenant(stripe_on, linked_a, tenant_a, tenant_b, deliver):
    payload = event("customer.subscription.created", subscription_object(status="trialing"), created=NOW)
    response = deliver(payload)
    assert response.json() == {"received": True, "event": payload["id"], "duplicate": False}
    row = StripeEvent.objects.get(event_id=payload["id"])
    assert (row.type, row.tenant_id, row.attempts, row.outcome, row.error) == (
        "customer.subscription.created", tenant_a.pk, 1, "applied: trialing", "")
    assert row.processed_at is not None
    assert row.payload == payload
    sub = Subscription.objects.get(pk=linked_a.pk)
    assert (sub.stripe_subscription_id, sub.stripe_item_id, sub.status, sub.seats, sub.plan.code, sub.interval) == (
        "sub_alpha", "si_alpha", "trialing", 1, "enterprise", "month")
    assert sub.stripe_updated_at.timestamp() == NOW
    # The effects were written inside alpha's schema, none in beta's.
    assert ("update", f"plan trial -> enterprise (customer.subscription.created {payload['id']})") in billing_audit(
        tenant_a)
    with schema_context(tenant_b.schema_name):
        assert not AuditEntry.objects.filter(object_type__in=["billing.subscription", "tenants.tenant"]).exists()
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "enterprise"


def test_same_event_twice_has_one_effect(stripe_on, live_a, tenant_a, deliver):
    payload = event("invoice.payment_failed", invoice_object(), created=NOW)
    first = deliver(payload)
    second = deliver(payload)
    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    assert StripeEvent.objects.filter(event_id=payload["id"]).count() == 1
    assert StripeEvent.objects.get(event_id=payload["id"]).attempts == 1
    assert state_of(tenant_a) == "past_due"
    assert billing_audit(tenant_a) == [
        ("update", f"workspace active -> past_due (invoice.payment_failed {payload['id']})")]


def test_older_update_arriving_late_changes_nothing(stripe_on, live_a, tenant_a, deliver):
    newer = event("customer.subscription.updated", subscription_object(status="active", quantity=5), created=NOW)
    older = event("customer.subscription.updated", subscription_object(status="past_due", quantity=3),
                  created=NOW - 60)
    deliver(newer)
    deliver(older)
    sub = Subscription.objects.get(pk=live_a.pk)
    assert (sub.status, sub.seats, sub.stripe_updated_at.timestamp()) == ("active", 5, NOW)
    assert state_of(tenant_a) == "active"
    assert StripeEvent.objects.get(event_id=older["id"]).outcome == "stale: a newer event was applied"
    assert StripeEvent.objects.get(event_id=older["id"]).processed_at is not None


def test_in_order_the_later_state_wins(stripe_on, live_a, tenant_a, deliver):
    deliver(event("customer.subscription.updated", subscription_object(status="past_due"), created=NOW - 60))
    deliver(event("customer.subscription.updated", subscription_object(status="active"), created=NOW))
    assert state_of(tenant_a) == "active"


def test_old_invoice_failure_after_a_newer_payment_is_ignored(stripe_on, live_a, tenant_a, deliver):
    deliver(event("invoice.paid", invoice_object(), created=NOW))
    late = event("invoice.payment_failed", invoice_object(), created=NOW - 3600)
    deliver(late)
    assert state_of(tenant_a) == "active"
    assert StripeEvent.objects.get(event_id=late["id"]).outcome == "stale: a newer event was applied"


def test_nothing_uncancels_at_the_same_second(stripe_on, live_a, tenant_a, deliver):
    deliver(event("customer.subscription.deleted", subscription_object(status="canceled"), created=NOW))
    deliver(event("customer.subscription.updated", subscription_object(status="active"), created=NOW))
    assert (Subscription.objects.get(pk=live_a.pk).status, state_of(tenant_a)) == ("canceled", "suspended")


def test_checkout_completed_links_the_new_subscription(stripe_on, linked_a, tenant_a, deliver):
    deliver(event("checkout.session.completed", checkout_object(tenant=tenant_a, subscription="sub_new"),
                  created=NOW))
    sub = Subscription.objects.get(pk=linked_a.pk)
    assert (sub.stripe_subscription_id, sub.status, sub.stripe_updated_at) == ("sub_new", "incomplete", None)
    assert state_of(tenant_a) == "trialing"
    # Its state arrives with the subscription event, even one stamped earlier than the checkout.
    deliver(event("customer.subscription.created", subscription_object(id="sub_new", status="active"),
                  created=NOW - 1))
    assert (Subscription.objects.get(pk=linked_a.pk).status, state_of(tenant_a)) == ("active", "active")


def test_checkout_found_by_client_reference_when_the_customer_is_new(stripe_on, tenant_a, deliver):
    payload = event("checkout.session.completed", checkout_object(tenant=tenant_a, customer="cus_fresh"),
                    created=NOW)
    deliver(payload)
    assert StripeEvent.objects.get(event_id=payload["id"]).tenant_id == tenant_a.pk
    sub = Subscription.objects.get(tenant=tenant_a)
    assert (sub.stripe_customer_id, sub.stripe_subscription_id) == ("cus_fresh", "sub_alpha")


def test_event_of_another_subscription_does_not_touch_the_live_one(stripe_on, live_a, tenant_a, deliver):
    payload = event("customer.subscription.deleted", subscription_object(id="sub_old", status="canceled"),
                    created=NOW)
    deliver(payload)
    outcome = StripeEvent.objects.get(event_id=payload["id"]).outcome
    assert outcome == "ignored: not the workspace's current subscription"
    assert (Subscription.objects.get(pk=live_a.pk).status, state_of(tenant_a)) == ("active", "active")


def test_unknown_customer_and_unhandled_types_are_stored_and_ignored(stripe_on, tenant_a, deliver):
    stranger = event("invoice.paid", invoice_object(customer="cus_nobody"), created=NOW)
    other = event("customer.created", {"id": "cus_alpha", "object": "customer"}, created=NOW)
    deliver(stranger)
    deliver(other)
    rows = {r.event_id: r for r in StripeEvent.objects.all()}
    assert (rows[stranger["id"]].tenant_id, rows[stranger["id"]].outcome) == (
        None, "ignored: no workspace for this customer")
    assert rows[other["id"]].outcome == "ignored: event type not handled"
    assert all(r.processed_at is not None for r in rows.values())
    assert state_of(tenant_a) == "trialing"


def test_a_failing_event_is_kept_with_its_error_and_retried(stripe_on, live_a, tenant_a, deliver,
                                                            django_capture_on_commit_callbacks):
    broken = event("customer.subscription.updated", {"id": "sub_alpha", "object": "subscription",
                                                      "customer": "cus_alpha", "status": "past_due",
                                                      "items": {"data": "not-a-list"}}, created=NOW)
    deliver(broken)
    row = StripeEvent.objects.get(event_id=broken["id"])
    assert (row.processed_at, row.attempts) == (None, 1)
    assert row.error.startswith("AttributeError: ")
    assert state_of(tenant_a) == "active"
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_pending_events.apply().get() == 1
    row.refresh_from_db()
    assert (row.processed_at, row.attempts) == (None, 2)
    # A duplicate delivery of an unprocessed event queues it again (still one row).
    deliver(broken)
    assert StripeEvent.objects.filter(event_id=broken["id"]).count() == 1
    assert StripeEvent.objects.get(event_id=broken["id"]).attempts == 3


def test_processed_events_are_not_retried(stripe_on, live_a, deliver):
    deliver(event("invoice.paid", invoice_object(), created=NOW))
    assert retry_pending_events.apply().get() == 0

