"""CRM background work (tenant-aware: each task runs in the schema it was
queued from). Tasks call services and are idempotent."""

from celery import shared_task

from .services import reassignment


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def run_reassignment(job_id: str) -> None:
    """Hand over the customers of a bulk reassignment, resuming where it stopped."""
    reassignment.reassignment_run(job_id)
