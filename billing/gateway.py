"""The only module that imports the ``stripe`` SDK (Saleor's gateway pattern).

Functions take and return plain values (ids, URLs, dicts), so nothing outside
this file ever handles a StripeObject. Settings are read on every call, so
tests can point the gateway at a local fake Stripe server with
``override_settings(STRIPE_API_BASE=...)``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20


class GatewayError(DomainError):
    """Stripe refused a request or could not be reached."""

    def __init__(self, message: str):
        super().__init__(message, code=ErrorCode.CONFLICT)


class InvalidWebhook(Exception):
    """A webhook delivery that is unsigned, wrongly signed, too old or not an event."""


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    created: int
    payload: dict

    @property
    def object(self) -> dict:
        return self.payload.get("data", {}).get("object") or {}


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def _client() -> stripe.StripeClient:
    if not is_configured():
        raise DomainError(_("Billing is not configured on this installation."), code=ErrorCode.CONFLICT)
    kwargs = {
        "http_client": stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
        "max_network_retries": 2,
    }
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def _call(what: str, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except stripe.StripeError as exc:
        logger.warning("Stripe %s failed: %s", what, exc)
        message = getattr(exc, "user_message", None) or _("The payment provider could not complete the request.")
        raise GatewayError(message) from exc


def customer_create(*, name: str, email: str, tenant_id: str) -> str:
    """A Stripe customer for a tenant; the key makes a retried call return the same customer."""
    customer = _call(
        "customer create", _client().v1.customers.create,
        {"name": name, "email": email, "metadata": {"tenant_id": tenant_id}},
        {"idempotency_key": f"weft-customer-{tenant_id}"},
    )
    return customer.id


def checkout_session_create(
    *, customer_id: str, price_id: str, quantity: int, success_url: str, cancel_url: str,
    metadata: dict, client_reference_id: str, trial_end: int | None = None,
) -> str:
    """A Checkout session for a new subscription; returns the page to send the customer to."""
    subscription_data: dict = {"metadata": metadata}
    if trial_end is not None:
        subscription_data["trial_end"] = trial_end
    session = _call(
        "checkout session create", _client().v1.checkout.sessions.create,
        {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": client_reference_id,
            "line_items": [{"price": price_id, "quantity": quantity}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "subscription_data": subscription_data,
        },
    )
    return session.url


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    """A customer-portal session (card, invoices, cancellation); returns its URL."""
    session = _call(
        "portal session create", _client().v1.billing_portal.sessions.create,
        {"customer": customer_id, "return_url": return_url},
    )
    return session.url


def subscription_item_id(subscription_id: str) -> str:
    """The id of the subscription's (single) item, read from Stripe."""
    subscription = _call("subscription retrieve", _client().v1.subscriptions.retrieve, subscription_id)
    items = subscription.to_dict().get("items", {}).get("data") or []
    if not items:
        raise GatewayError(_("The subscription has no items."))
    return items[0]["id"]


def subscription_set_quantity(*, subscription_id: str, item_id: str, quantity: int) -> None:
    """Bill ``quantity`` seats from now on (prorated). The library retries with an idempotency key."""
    _call(
        "subscription quantity update", _client().v1.subscriptions.update, subscription_id,
        {"items": [{"id": item_id, "quantity": quantity}], "proration_behavior": "create_prorations"},
    )


def subscription_set_price(*, subscription_id: str, item_id: str, price_id: str, quantity: int,
                           metadata: dict) -> None:
    _call(
        "subscription price update", _client().v1.subscriptions.update, subscription_id,
        {
            "items": [{"id": item_id, "price": price_id, "quantity": quantity}],
            "proration_behavior": "create_prorations",
            "metadata": metadata,
        },
    )


def event_construct(payload: bytes, signature_header: str | None) -> WebhookEvent:
    """Verify a webhook delivery's signature and age; returns the event."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise InvalidWebhook("Billing is not configured: webhooks are not accepted.")
    if not signature_header:
        raise InvalidWebhook("Missing Stripe-Signature header.")
    try:
        text = payload.decode("utf-8")
        stripe.Webhook.construct_event(
            text, signature_header, settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        data = json.loads(text)
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhook(f"Invalid signature: {exc.user_message or exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhook("The body is not a JSON event.") from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("id", "type")) or not isinstance(
        data.get("created"), int
    ):
        raise InvalidWebhook("The body is not a Stripe event.")
    return WebhookEvent(id=data["id"], type=data["type"], created=data["created"], payload=data)
