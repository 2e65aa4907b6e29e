"""CRM background work (tenant-aware: each task runs in the schema it was
queued from). Tasks call services and are idempotent."""

from celery import shared_task

from core.scheduling import fan_out

from .services import reassignment, stale


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def run_reassignment(job_id: str) -> None:
    """Hand over the customers of a bulk reassignment, resuming where it stopped."""
    reassignment.reassignment_run(job_id)


@shared_task(acks_late=True, ignore_result=True)
def flag_stale_opportunities() -> int:
    """In the current workspace: flag opportunities without a recent follow-up."""
    return stale.opportunities_flag_stale()


@shared_task(acks_late=True, ignore_result=True)
def flag_stale_opportunities_everywhere() -> list[str]:
    """Beat entry point (hourly; idempotent): one task per workspace with CRM on."""
    return fan_out(flag_stale_opportunities, module="crm")
