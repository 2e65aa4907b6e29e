"""Notification e-mails and reminder delivery (tenant-aware: each task runs
in the schema it was queued from)."""

from smtplib import SMTPException

from celery import shared_task

from core.scheduling import fan_out

from . import services


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(SMTPException, OSError), retry_backoff=True,
             retry_backoff_max=600, max_retries=6)
def send_notification_email(notification_id: str) -> bool:
    """Send one notification e-mail (idempotent: a sent row is not sent again)."""
    return services.notification_send_email(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_due_reminders() -> int:
    """In the current workspace: deliver due reminders once each, and re-queue
    e-mails whose task was lost."""
    sent = services.reminders_deliver_due()
    services.emails_requeue_stale()
    return sent


@shared_task(acks_late=True, ignore_result=True)
def deliver_due_reminders_everywhere() -> list[str]:
    """Beat entry point (every minute): one delivery task per active workspace."""
    return fan_out(deliver_due_reminders)
