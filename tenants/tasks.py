"""Background work of the platform: keep the spare schema pool full."""

from celery import shared_task

from . import provisioning


@shared_task(acks_late=True, ignore_result=True)
def refill_spare_pool() -> int:
    return provisioning.refill_pool()
