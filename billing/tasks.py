"""Billing background work. Tasks take ids (never model instances) and are
idempotent; per-tenant tasks are queued inside the tenant's schema."""

from __future__ import annotations

from celery import shared_task
from django_tenants.utils import schema_context

from tenants.models import Tenant

from . import services, webhooks
from .models import LIVE_STATUSES, Subscription


@shared_task(acks_late=True, ignore_result=True)
def process_stripe_event(event_pk: int) -> str:
    """Apply one stored Stripe event (a no-op once it has been applied)."""
    row = webhooks.event_process(event_pk=event_pk)
    return row.outcome or row.error


@shared_task(acks_late=True, ignore_result=True)
def retry_pending_events() -> int:
    """Beat: queue again every stored event not yet processed (broker outage,
    handler failure). Returns how many were queued."""
    rows = list(webhooks.pending_events().values_list("pk", "tenant__schema_name"))
    for pk, schema in rows:
        webhooks.queue_processing(pk, schema or "public")
    return len(rows)


@shared_task(acks_late=True, ignore_result=True)
def expire_trials() -> list[str]:
    """Beat: suspend workspaces whose trial ended without a subscription."""
    return services.trials_expire()


@shared_task(acks_late=True, ignore_result=True)
def sync_seats(tenant_id: int) -> int | None:
    """Bring one tenant's Stripe quantity in line with its seats in use."""
    tenant = Tenant.objects.get(pk=tenant_id)
    return services.subscription_sync_seats(tenant=tenant)


@shared_task(acks_late=True, ignore_result=True)
def sync_all_seats() -> int:
    """Beat: catch up seat syncs that could not be queued when they happened."""
    tenants = list(
        Subscription.objects.filter(stripe_subscription_id__isnull=False, status__in=LIVE_STATUSES)
        .values_list("tenant_id", "tenant__schema_name")
    )
    for tenant_id, schema in tenants:
        with schema_context(schema):
            sync_seats.apply_async(args=[tenant_id])
    return len(tenants)
