"""Billing test kit: a local fake Stripe HTTP server (pytest-httpserver) that
the real ``stripe`` library talks to, and real signed webhook deliveries built
with a test signing secret. Nothing of our own code is mocked."""

from __future__ import annotations

import itertools
import json
import time
import uuid

import pytest
import stripe
from django.test import Client
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription, SubscriptionStatus
from core.audit.models import AuditEntry
from tenants.models import Tenant, TenantState

WHSEC = "whsec_test_weft_signing_secret"
SECRET_KEY = "sk_test_weft"
PRICES = {
    "starter:month": "price_starter_m", "starter:year": "price_starter_y",
    "business:month": "price_business_m", "business:year": "price_business_y",
    "enterprise:month": "price_enterprise_m", "enterprise:year": "price_enterprise_y",
}
CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_weft"
PORTAL_URL = "https://billing.stripe.com/p/session/test_weft"
_seq = itertools.count(1)


class FakeStripe:
    """Answers the Stripe endpoints the gateway calls and remembers every request."""

    def __init__(self, server):
        self.server = server

    def on(self, method: str, path: str, body: dict, status: int = 200) -> None:
        self.server.expect_request(path, method=method).respond_with_json(body, status=status)

    def customer_create(self, customer_id: str = "cus_alpha") -> None:
        self.on("POST", "/v1/customers", {"id": customer_id, "object": "customer"})

    def checkout_create(self, url: str = CHECKOUT_URL) -> None:
        self.on("POST", "/v1/checkout/sessions", {"id": "cs_test_weft", "object": "checkout.session", "url": url})

    def portal_create(self, url: str = PORTAL_URL) -> None:
        self.on("POST", "/v1/billing_portal/sessions",
                {"id": "bps_test_weft", "object": "billing_portal.session", "url": url})

    def subscription_update(self, subscription_id: str = "sub_alpha", **fields) -> None:
        self.on("POST", f"/v1/subscriptions/{subscription_id}", subscription_object(id=subscription_id, **fields))

    def subscription_retrieve(self, subscription_id: str = "sub_alpha", **fields) -> None:
        self.on("GET", f"/v1/subscriptions/{subscription_id}", subscription_object(id=subscription_id, **fields))

    def error(self, method: str, path: str, status: int, message: str) -> None:
        self.on(method, path, {"error": {"type": "invalid_request_error", "message": message}}, status=status)

    def requests(self, method: str | None = None, path: str | None = None) -> list[dict]:
        """Requests received, oldest first: method, path, form fields, headers."""
        found = []
        for request, _response in self.server.log:
            if (method is None or request.method == method) and (path is None or request.path == path):
                found.append({"method": request.method, "path": request.path,
                              "form": request.form.to_dict(flat=True), "headers": dict(request.headers)})
        return found


@pytest.fixture
def stripe_on(httpserver, settings) -> FakeStripe:
    """Billing configured, pointed at the local fake Stripe server."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WHSEC
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    settings.STRIPE_PRICE_IDS = dict(PRICES)
    fake = FakeStripe(httpserver)
    yield fake
    httpserver.check_assertions()  # no request the fake did not expect


@pytest.fixture
def stripe_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_PRICE_IDS = {}


def subscription_object(*, id="sub_alpha", status="active", customer="cus_alpha", price="price_enterprise_m",
                        quantity=1, item_id="si_alpha", period_end=None, cancel_at_period_end=False,
                        metadata=None) -> dict:
    return {
        "id": id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": cancel_at_period_end, "metadata": metadata or {},
        "items": {"object": "list", "data": [{
            "id": item_id, "object": "subscription_item", "quantity": quantity,
            "current_period_end": period_end or int(time.time()) + 30 * 86400,
            "price": {"id": price, "object": "price"},
        }]},
    }


def invoice_object(*, subscription="sub_alpha", customer="cus_alpha") -> dict:
    return {"id": f"in_{next(_seq)}", "object": "invoice", "customer": customer,
            "parent": {"type": "subscription_details",
                       "subscription_details": {"subscription": subscription, "metadata": {}}}}


def checkout_object(*, tenant, subscription="sub_alpha", customer="cus_alpha") -> dict:
    return {"id": f"cs_{next(_seq)}", "object": "checkout.session", "mode": "subscription", "customer": customer,
            "subscription": subscription, "client_reference_id": str(tenant.public_id),
            "metadata": {"tenant_id": str(tenant.public_id)}}


def event(type_: str, obj: dict, *, created: int, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{next(_seq)}_{uuid.uuid4().hex[:10]}", "object": "event",
            "api_version": "2026-10-28.endive", "created": created, "livemode": False, "type": type_,
            "data": {"object": obj}}


def signed_post(payload: dict | str, *, secret: str = WHSEC, timestamp: int | None = None,
                signature: str | None = None, body: str | None = None, client: Client | None = None):
    """POST a delivery to the root domain's webhook, signed like Stripe signs it
    (``body`` replaces the signed text to simulate tampering)."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    header = signature if signature is not None else stripe.WebhookSignature.generate_signature_header(
        text, secret, timestamp=timestamp or int(time.time()))
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header else {}
    client = client or Client(HTTP_HOST="localhost")
    return client.post("/billing/webhook/", data=body if body is not None else text,
                       content_type="application/json", **extra)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """deliver(event) -> response: a signed delivery, processed (Celery eager)."""

    def _deliver(payload, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_post(payload, **kwargs)
        assert response.status_code == 200, response.content
        return response

    return _deliver


@pytest.fixture
def linked_a(tenant_a):
    """Alpha after a checkout was started: a Stripe customer, no subscription yet."""
    return Subscription.objects.create(tenant=tenant_a, plan=Plan.objects.get(code="trial"),
                                       stripe_customer_id="cus_alpha")


@pytest.fixture
def live_a(tenant_a):
    """Alpha with an active Enterprise subscription (1 seat billed)."""
    Tenant.objects.filter(pk=tenant_a.pk).update(plan_code="enterprise", state=TenantState.ACTIVE)
    return Subscription.objects.create(
        tenant=tenant_a, plan=Plan.objects.get(code="enterprise"), stripe_customer_id="cus_alpha",
        stripe_subscription_id="sub_alpha", stripe_item_id="si_alpha", status=SubscriptionStatus.ACTIVE, seats=1,
    )


def billing_audit(tenant) -> list[tuple[str, str]]:
    """(action, message) of the tenant's billing audit entries, oldest first."""
    with schema_context(tenant.schema_name):
        return list(AuditEntry.objects.filter(object_type__in=["billing.subscription", "tenants.tenant"])
                    .order_by("at").values_list("action", "message"))


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]
