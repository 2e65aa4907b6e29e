"""The gateway against a local fake Stripe server: what each use case sends to
Stripe (customer, Checkout, portal, quantity and price updates) and what
happens when Stripe refuses."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import services
from billing.models import Subscription
from core.errors import DomainError
from core.users.models import User
from core.users.services import user_deactivate, user_invite
from tenants.models import Tenant

from .conftest import CHECKOUT_URL, PORTAL_URL, SECRET_KEY, billing_audit


def test_checkout_creates_the_customer_once_and_a_session(stripe_on, tenant_a, admin_a):
    stripe_on.customer_create("cus_alpha")
    stripe_on.checkout_create()
    trial_end = Tenant.objects.get(pk=tenant_a.pk).trial_ends_at
    url = services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="business", interval="year", confirm=True)
    assert url == CHECKOUT_URL
    [customer] = stripe_on.requests("POST", "/v1/customers")
    assert customer["form"] == {"name": "Alpha Ltd", "email": "admin@alpha.test",
                                "metadata[tenant_id]": str(tenant_a.public_id)}
    assert customer["headers"]["Authorization"] == f"Bearer {SECRET_KEY}"
    assert customer["headers"]["Idempotency-Key"] == f"weft-customer-{tenant_a.public_id}"
    [session] = stripe_on.requests("POST", "/v1/checkout/sessions")
    assert session["form"] == {
        "mode": "subscription", "customer": "cus_alpha", "client_reference_id": str(tenant_a.public_id),
        "line_items[0][price]": "price_business_y", "line_items[0][quantity]": "1",
        "success_url": "http://alpha.localhost:8000/billing/?checkout=done",
        "cancel_url": "http://alpha.localhost:8000/billing/?checkout=canceled",
        "metadata[tenant_id]": str(tenant_a.public_id), "metadata[plan_code]": "business",
        "metadata[interval]": "year",
        "subscription_data[metadata][tenant_id]": str(tenant_a.public_id),
        "subscription_data[metadata][plan_code]": "business", "subscription_data[metadata][interval]": "year",
        "subscription_data[trial_end]": str(int(trial_end.timestamp())),
    }
    assert Subscription.objects.get(tenant=tenant_a).stripe_customer_id == "cus_alpha"
    # A second checkout reuses the customer.
    services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="enterprise", interval="month")
    assert len(stripe_on.requests("POST", "/v1/customers")) == 1
    assert stripe_on.requests("POST", "/v1/checkout/sessions")[1]["form"]["line_items[0][price]"] == (
        "price_enterprise_m")
    assert [m for _a, m in billing_audit(tenant_a)] == ["checkout started for business/year",
                                                         "checkout started for enterprise/month"]


def test_a_trial_ending_within_two_days_is_not_carried_into_checkout(stripe_on, tenant_a, admin_a, linked_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(trial_ends_at=timezone.now() + timedelta(hours=30))
    stripe_on.checkout_create()
    services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="enterprise", interval="month")
    assert "subscription_data[trial_end]" not in stripe_on.requests("POST", "/v1/checkout/sessions")[0]["form"]


def test_stripe_refusal_is_a_clear_error_and_nothing_is_saved(stripe_on, tenant_a, admin_a):
    stripe_on.error("POST", "/v1/customers", 400, "Invalid email address: admin@alpha.test")
    with pytest.raises(DomainError) as exc:
        services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="enterprise", interval="month")
    assert (exc.value.code, exc.value.message) == ("conflict", "Invalid email address: admin@alpha.test")
    assert not Subscription.objects.filter(tenant=tenant_a).exists()
    assert stripe_on.requests("POST", "/v1/checkout/sessions") == []
    assert billing_audit(tenant_a) == []


def test_checkout_is_refused_with_a_live_subscription(stripe_on, tenant_a, admin_a, live_a):
    with pytest.raises(DomainError) as exc:
        services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="business", interval="month", confirm=True)
    assert exc.value.code == "conflict"
    assert exc.value.message.startswith("This workspace already has a subscription")
    assert stripe_on.requests() == []


def test_portal_session_for_the_customer(stripe_on, tenant_a, admin_a, linked_a):
    stripe_on.portal_create()
    assert services.portal_start(tenant=tenant_a, by=admin_a) == PORTAL_URL
    [request] = stripe_on.requests("POST", "/v1/billing_portal/sessions")
    assert request["form"] == {"customer": "cus_alpha", "return_url": "http://alpha.localhost:8000/billing/"}


def test_portal_needs_a_customer(stripe_on, tenant_a, admin_a):
    with pytest.raises(DomainError) as exc:
        services.portal_start(tenant=tenant_a, by=admin_a)
    assert (exc.value.code, exc.value.message) == ("conflict", "Subscribe first: there are no cards or invoices yet.")
    assert stripe_on.requests() == []


def test_seat_changes_update_the_subscription_quantity(stripe_on, tenant_a, admin_a, live_a,
                                                      django_capture_on_commit_callbacks):
    stripe_on.subscription_update("sub_alpha")
    invited = []
    with schema_context(tenant_a.schema_name):
        for n in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                invited.append(user_invite(by=admin_a, email=f"seat{n}@alpha.test", full_name=f"Seat {n}"))
    quantities = [r["form"] for r in stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")]
    assert quantities == [
        {"items[0][id]": "si_alpha", "items[0][quantity]": str(q), "proration_behavior": "create_prorations"}
        for q in (2, 3, 4)
    ]
    assert Subscription.objects.get(pk=live_a.pk).seats == 4
    with schema_context(tenant_a.schema_name), django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=User.objects.get(email="seat2@alpha.test"), by=admin_a)
    # Deactivating an invited member who never accepted withdraws the invitation and frees the seat.
    assert stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")[-1]["form"]["items[0][quantity]"] == "3"
    with schema_context(tenant_a.schema_name):
        member = User.objects.get(email="seat1@alpha.test")
        member.invitations.update(used_at=timezone.now())
        User.objects.filter(pk=member.pk).update(is_active=True)
        with django_capture_on_commit_callbacks(execute=True):
            user_deactivate(user=User.objects.get(pk=member.pk), by=admin_a)
    assert stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")[-1]["form"]["items[0][quantity]"] == "2"
    assert Subscription.objects.get(pk=live_a.pk).seats == 2


def test_seat_sync_reads_the_item_from_stripe_when_unknown(stripe_on, tenant_a, live_a):
    Subscription.objects.filter(pk=live_a.pk).update(stripe_item_id="", seats=7)
    stripe_on.subscription_retrieve("sub_alpha", item_id="si_from_stripe")
    stripe_on.subscription_update("sub_alpha")
    assert services.subscription_sync_seats(tenant=tenant_a) == 1
    assert stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")[0]["form"]["items[0][id]"] == "si_from_stripe"
    assert Subscription.objects.get(pk=live_a.pk).stripe_item_id == "si_from_stripe"


def test_no_stripe_call_without_a_live_subscription_or_keys(stripe_on, tenant_a, admin_a, linked_a, settings,
                                                           django_capture_on_commit_callbacks):
    with schema_context(tenant_a.schema_name), django_capture_on_commit_callbacks(execute=True):
        user_invite(by=admin_a, email="free@alpha.test", full_name="Free Seat")
    assert services.subscription_sync_seats(tenant=tenant_a) is None
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    Subscription.objects.filter(pk=linked_a.pk).update(stripe_subscription_id="sub_alpha", status="active")
    assert services.subscription_sync_seats(tenant=tenant_a) is None
    assert stripe_on.requests() == []


def test_plan_change_on_a_live_subscription_changes_the_price(stripe_on, tenant_a, admin_a, live_a):
    Subscription.objects.filter(pk=live_a.pk).update(stripe_item_id="")
    stripe_on.subscription_retrieve("sub_alpha", item_id="si_alpha")
    stripe_on.subscription_update("sub_alpha")
    result = services.plan_change(tenant=tenant_a, by=admin_a, plan_code="enterprise", interval="year")
    assert (result.status, result.plan.code, result.interval, result.url, result.modules_to_disable) == (
        "requested", "enterprise", "year", None, [])
    [update] = stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")
    assert update["form"] == {
        "items[0][id]": "si_alpha", "items[0][price]": "price_enterprise_y", "items[0][quantity]": "1",
        "proration_behavior": "create_prorations", "metadata[tenant_id]": str(tenant_a.public_id),
        "metadata[plan_code]": "enterprise", "metadata[interval]": "year",
    }
    # Nothing changes locally until Stripe confirms by webhook.
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "enterprise"
    assert Subscription.objects.get(pk=live_a.pk).interval == "month"


def test_offline_mode_never_calls_stripe(stripe_off, tenant_a, admin_a):
    for call in (lambda: services.checkout_start(tenant=tenant_a, by=admin_a, plan_code="starter", interval="month"),
                 lambda: services.portal_start(tenant=tenant_a, by=admin_a),
                 lambda: services.plan_change(tenant=tenant_a, by=admin_a, plan_code="starter", interval="month")):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.code == "conflict"
        assert exc.value.message == "Billing is not configured on this installation: the workspace runs in trial mode."
    assert not Subscription.objects.filter(tenant=tenant_a).exists()
