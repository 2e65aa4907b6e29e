"""Periodic housekeeping of users and tokens."""

from celery import shared_task

from core.scheduling import fan_out

from . import services


@shared_task(acks_late=True, ignore_result=True)
def purge_expired_tokens() -> int:
    """In the current tenant: delete tokens expired more than 30 days ago."""
    return services.purge_expired_tokens()


@shared_task(acks_late=True, ignore_result=True)
def purge_expired_tokens_everywhere() -> list[str]:
    """Beat entry point: one purge per active workspace."""
    return fan_out(purge_expired_tokens)
