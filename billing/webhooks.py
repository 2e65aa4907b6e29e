"""Stripe webhook events: receive (verify, store once), then process in Celery
inside the tenant's schema through a dict from event type to handler.

Idempotency: ``StripeEvent.event_id`` is unique, so a replayed or duplicated
delivery finds the stored row; processing locks that row and does nothing once
``processed_at`` is set, so the effects happen exactly once.

Ordering: state-bearing events carry their own time (``event.created``). The
subscription keeps the time of the newest event applied
(``stripe_updated_at``); an older event that arrives later is recorded as
stale and changes nothing. Stripe timestamps are whole seconds: on a tie the
later arrival wins, except that nothing un-cancels a canceled subscription.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Tenant

from . import gateway
from .models import StripeEvent, Subscription, SubscriptionStatus
from .plans import plan_for_price
from .services import plan_apply, subscription_apply_status, subscription_for

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
# Statuses in which a plan is in force (and so its modules).
PLAN_STATUSES = frozenset({SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE})


def _id(value) -> str | None:
    """A Stripe reference is an id, or the object itself when expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _when(timestamp) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=dt_timezone.utc) if isinstance(timestamp, int) else None


def _tenant_for(obj: dict) -> Tenant | None:
    """The tenant an event's object belongs to: by Stripe customer, else by
    the tenant id we put in Checkout (client_reference_id / metadata)."""
    customer = _id(obj.get("customer"))
    if customer:
        sub = Subscription.objects.select_related("tenant").filter(stripe_customer_id=customer).first()
        if sub is not None:
            return sub.tenant
    parent = obj.get("parent") or {}
    sub_metadata = (parent.get("subscription_details") or {}).get("metadata") or {}
    for candidate in (obj.get("client_reference_id"), (obj.get("metadata") or {}).get("tenant_id"),
                      sub_metadata.get("tenant_id")):
        try:
            public_id = uuid.UUID(str(candidate))
        except ValueError:
            continue
        tenant = Tenant.objects.filter(public_id=public_id).first()
        if tenant is not None:
            return tenant
    return None


def event_receive(*, payload: bytes, signature: str | None) -> tuple[StripeEvent, bool]:
    """Verify and store a delivery (raises gateway.InvalidWebhook); returns the
    row and whether this delivery created it. Processing is queued after
    commit while the event is unprocessed."""
    event = gateway.event_construct(payload, signature)
    tenant = _tenant_for(event.object)
    row, created = StripeEvent.objects.get_or_create(
        event_id=event.id,
        defaults={"type": event.type, "payload": event.payload, "tenant": tenant,
                  "stripe_created_at": _when(event.created)},
    )
    if row.processed_at is None:
        schema = row.tenant.schema_name if row.tenant_id else "public"
        transaction.on_commit(partial(queue_processing, row.pk, schema))
    return row, created


def queue_processing(event_pk: int, schema_name: str) -> None:
    """Queue the processing task inside the tenant's schema (tenant-schemas-celery)."""
    from .tasks import process_stripe_event

    try:
        with schema_context(schema_name):
            process_stripe_event.apply_async(args=[event_pk])
    except Exception:  # noqa: BLE001 - the row is the outbox: retry_pending_events queues it again
        logger.warning("Could not queue Stripe event %s; the retry job will.", event_pk, exc_info=True)


def event_process(*, event_pk: int) -> StripeEvent:
    """Apply one stored event, once. A failure is recorded on the row (and
    logged); the retry job tries again later."""
    with transaction.atomic():
        row = StripeEvent.objects.select_for_update().get(pk=event_pk)
        if row.processed_at is not None:
            return row
        row.attempts += 1
        try:
            with transaction.atomic():
                outcome = _dispatch(row)
        except Exception as exc:  # noqa: BLE001 - recorded on the row and retried, never dropped
            logger.exception("Stripe event %s (%s) failed", row.event_id, row.type)
            row.error = f"{type(exc).__name__}: {exc}"[:2000]
            row.save(update_fields=["attempts", "error"])
            return row
        row.outcome = outcome[:200]
        row.error = ""
        row.processed_at = timezone.now()
        row.save(update_fields=["attempts", "outcome", "error", "processed_at"])
        return row


def pending_events():
    """Unprocessed events that still have attempts left (the outbox)."""
    return StripeEvent.objects.filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).select_related("tenant")


@dataclass(frozen=True)
class Context:
    event: StripeEvent
    tenant: Tenant
    obj: dict
    at: datetime

    @property
    def source(self) -> str:
        return f"{self.event.type} {self.event.event_id}"


def _dispatch(row: StripeEvent) -> str:
    handler = HANDLERS.get(row.type)
    if handler is None:
        return "ignored: event type not handled"
    if row.tenant_id is None:
        return "ignored: no workspace for this customer"
    tenant = Tenant.objects.get(pk=row.tenant_id)
    obj = row.payload.get("data", {}).get("object") or {}
    with schema_context(tenant.schema_name):
        return handler(Context(event=row, tenant=tenant, obj=obj, at=row.stripe_created_at))


def _is_stale(sub: Subscription, at: datetime, status: str | None = None) -> bool:
    if sub.stripe_updated_at is None or at > sub.stripe_updated_at:
        return False
    if at < sub.stripe_updated_at:
        return True
    return sub.status == SubscriptionStatus.CANCELED and status != SubscriptionStatus.CANCELED


def _is_current(sub: Subscription, subscription_id: str, status: str) -> bool:
    """Is this Stripe subscription the tenant's? A different one replaces the
    stored one only if the stored one has ended and the new one is live."""
    if not sub.stripe_subscription_id or sub.stripe_subscription_id == subscription_id:
        return True
    if sub.is_live:
        return False
    return status not in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)


def on_checkout_completed(ctx: Context) -> str:
    """Link the customer and the new subscription; its state arrives with the
    customer.subscription.* events."""
    if ctx.obj.get("mode") != "subscription":
        return "ignored: not a subscription checkout"
    sub = subscription_for(ctx.tenant, lock=True)
    customer, subscription_id = _id(ctx.obj.get("customer")), _id(ctx.obj.get("subscription"))
    changed = []
    if customer and not sub.stripe_customer_id:
        sub.stripe_customer_id = customer
        changed.append("stripe_customer_id")
    if subscription_id and sub.stripe_subscription_id != subscription_id and not sub.is_live:
        sub.stripe_subscription_id = subscription_id
        sub.stripe_item_id = ""
        sub.status = SubscriptionStatus.INCOMPLETE  # live from now on: no second checkout
        changed += ["stripe_subscription_id", "stripe_item_id", "status"]
    if not changed:
        return "no change"
    sub.save(update_fields=[*changed, "updated_at"])
    return "linked"


def _subscription_facts(obj: dict) -> dict:
    items = (obj.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    return {
        "id": obj.get("id"),
        "customer": _id(obj.get("customer")),
        "status": obj.get("status"),
        "item_id": item.get("id") or "",
        "price_id": _id(item.get("price")),
        "quantity": item.get("quantity"),
        # Newer API versions keep the period on the item, older ones on the subscription.
        "current_period_end": _when(item.get("current_period_end") or obj.get("current_period_end")),
        "cancel_at_period_end": bool(obj.get("cancel_at_period_end")),
        "metadata": obj.get("metadata") or {},
    }


def _plan_of(facts: dict):
    found = plan_for_price(facts["price_id"])
    if found is not None:
        return found
    from .models import BillingInterval, Plan

    metadata = facts["metadata"]
    plan = Plan.objects.filter(code=metadata.get("plan_code") or "").first()
    if plan is not None and metadata.get("interval") in BillingInterval.values:
        return plan, metadata["interval"]
    return None


def on_subscription_changed(ctx: Context) -> str:
    """customer.subscription.created / updated / deleted."""
    facts = _subscription_facts(ctx.obj)
    status = SubscriptionStatus.CANCELED if ctx.event.type == "customer.subscription.deleted" else facts["status"]
    if not facts["id"] or status not in SubscriptionStatus.values:
        return f"ignored: unknown subscription status {status!r}"
    sub = subscription_for(ctx.tenant, lock=True)
    if not _is_current(sub, facts["id"], status):
        return "ignored: not the workspace's current subscription"
    if _is_stale(sub, ctx.at, status):
        return "stale: a newer event was applied"
    sub.stripe_subscription_id = facts["id"]
    sub.stripe_customer_id = sub.stripe_customer_id or facts["customer"]
    sub.stripe_item_id = facts["item_id"] or sub.stripe_item_id
    if isinstance(facts["quantity"], int):
        sub.seats = facts["quantity"]
    sub.current_period_end = facts["current_period_end"]
    sub.cancel_at_period_end = facts["cancel_at_period_end"]
    found = _plan_of(facts)
    if found is not None and status in PLAN_STATUSES:
        sub.plan, sub.interval = found
        plan_apply(tenant=ctx.tenant, plan=found[0], source=f"({ctx.source})")
    tenant = Tenant.objects.get(pk=ctx.tenant.pk)
    subscription_apply_status(sub=sub, tenant=tenant, status=status, at=ctx.at, source=ctx.source)
    sub.stripe_updated_at = ctx.at
    sub.save()
    return f"applied: {status}"


def _invoice_subscription_id(invoice: dict) -> str | None:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def _on_invoice(ctx: Context, *, from_statuses: frozenset, to_status: str) -> str:
    sub = subscription_for(ctx.tenant, lock=True)
    if not sub.stripe_subscription_id or _invoice_subscription_id(ctx.obj) != sub.stripe_subscription_id:
        return "ignored: not an invoice of the workspace's current subscription"
    if _is_stale(sub, ctx.at, to_status):
        return "stale: a newer event was applied"
    if sub.status not in from_statuses:
        # Still news as of its time: an older invoice event arriving later must not win.
        sub.stripe_updated_at = ctx.at
        sub.save(update_fields=["stripe_updated_at", "updated_at"])
        return f"no change: subscription is {sub.status}"
    tenant = Tenant.objects.get(pk=ctx.tenant.pk)
    subscription_apply_status(sub=sub, tenant=tenant, status=to_status, at=ctx.at, source=ctx.source)
    sub.stripe_updated_at = ctx.at
    sub.save()
    return f"applied: {to_status}"


def on_invoice_payment_failed(ctx: Context) -> str:
    return _on_invoice(ctx, to_status=SubscriptionStatus.PAST_DUE, from_statuses=frozenset(
        {SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING, SubscriptionStatus.PAST_DUE}))


def on_invoice_paid(ctx: Context) -> str:
    return _on_invoice(ctx, to_status=SubscriptionStatus.ACTIVE, from_statuses=frozenset(
        {SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID, SubscriptionStatus.INCOMPLETE}))


HANDLERS = {
    "checkout.session.completed": on_checkout_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.payment_failed": on_invoice_payment_failed,
    "invoice.paid": on_invoice_paid,
}
