"""Notifications and reminders, for every module.

- :func:`notify` writes in-app rows in the caller's transaction and sends
  e-mail from a Celery task queued after commit (the rows are the outbox: a
  lost task is re-queued by the beat sweep). Text is rendered in the
  recipient's language (their own choice, else the workspace's).
- :func:`remind` stores a reminder; the beat task delivers due reminders
  exactly once (:func:`reminders_deliver_due`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from core.errors import DomainError, ErrorCode

from .kinds import kinds
from .models import Channel, EmailStatus, Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)

# Pending e-mails older than this are re-queued by the beat sweep (the task
# queued after commit was lost, e.g. Redis was down); older than a day, dropped.
EMAIL_REQUEUE_AFTER = timedelta(minutes=10)
EMAIL_GIVE_UP_AFTER = timedelta(days=1)


# ------------------------------------------------------------------ language


def current_tenant():
    """The workspace of the current schema (a real Tenant row, with its language)."""
    from tenants.models import Tenant

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant) and tenant.schema_name == connection.schema_name:
        return tenant
    return Tenant.objects.filter(schema_name=connection.schema_name).first()


def language_for(user, tenant=None) -> str:
    """The recipient's own language, else the workspace's, else the default."""
    supported = dict(settings.LANGUAGES)
    if getattr(user, "language", "") in supported:
        return user.language
    tenant = tenant if tenant is not None else current_tenant()
    language = getattr(tenant, "language", None)
    return language if language in supported else settings.LANGUAGE_CODE


def render_text(text, params: dict | None) -> str:
    """``text`` (a lazy translation, a message id or plain text) in the active
    language, with ``params`` (their values translated too) filled in."""
    rendered = _(str(text)) if text else ""
    if params:
        rendered = rendered % {key: str(value) for key, value in params.items()}
    return rendered


def _check_link(link: str) -> str:
    """Links are paths on the workspace's own host (never another site)."""
    link = (link or "").strip()
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError(f"Notification links must be local paths, got {link!r}")
    return link


# ------------------------------------------------------------- preferences


def channels_for(users: Iterable, kind: str) -> dict:
    """``{user_pk: (in_app, email)}`` from the users' preferences and the kind's defaults."""
    spec = kinds.get(kind)
    users = list(users)
    chosen = {
        (pref.user_id, pref.channel): pref.enabled
        for pref in NotificationPreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    }
    return {
        user.pk: (
            chosen.get((user.pk, Channel.IN_APP), spec.in_app_default),
            chosen.get((user.pk, Channel.EMAIL), spec.email_default) and bool(user.email),
        )
        for user in users
    }


@transaction.atomic
def preference_set(*, user, kind: str, channel: str, enabled: bool) -> NotificationPreference:
    if kind not in kinds:
        raise DomainError(_("Unknown kind of notification."), fields={"kind": [_("Choose a valid kind.")]})
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), fields={"channel": [_("Choose a valid channel.")]})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, channel=channel, defaults={"enabled": bool(enabled)}
    )
    return preference


# ------------------------------------------------------------------ notify


def _ref(obj: Model | None) -> tuple[ContentType | None, str]:
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(obj), str(obj.pk)


def _notify(recipients, *, kind: str, title, body, link: str, content_type, object_id: str,
            params: dict | None) -> list[Notification]:
    link = _check_link(link)
    unique = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in unique:
            unique[user.pk] = user
    if not unique:
        return []
    tenant = current_tenant()
    wanted = channels_for(unique.values(), kind)
    rows = []
    for user in unique.values():
        in_app, email = wanted[user.pk]
        if not (in_app or email):
            continue
        with translation.override(language_for(user, tenant)):
            rendered_title = render_text(title, params)[:200]
            rendered_body = render_text(body, params)
        rows.append(Notification(
            recipient=user, kind=kind, title=rendered_title, body=rendered_body, link=link,
            content_type=content_type, object_id=object_id, in_app=in_app,
            email_status=EmailStatus.PENDING if email else EmailStatus.NONE,
        ))
    Notification.objects.bulk_create(rows)
    emails = [str(row.pk) for row in rows if row.email_status == EmailStatus.PENDING]
    if emails:
        schema = connection.schema_name
        transaction.on_commit(lambda: _queue_emails(schema, emails))
    return rows


def notify(recipients, *, kind: str, title, body="", link: str = "", obj: Model | None = None,
           params: dict | None = None) -> list[Notification]:
    """Notify ``recipients`` (inactive users and duplicates are skipped).

    ``title`` and ``body`` are lazy translations (or message ids) rendered
    per recipient in their language, filled with ``params``; ``link`` is a
    local path; ``obj`` is the object it is about. In-app rows are written
    in the current transaction; e-mails go after commit, per preferences."""
    content_type, object_id = _ref(obj)
    return _notify(recipients, kind=kind, title=title, body=body, link=link, content_type=content_type,
                   object_id=object_id, params=params)


def _queue_emails(schema: str, notification_ids: list[str]) -> None:
    from .tasks import send_notification_email

    with schema_context(schema):
        for pk in notification_ids:
            try:
                send_notification_email.apply_async(args=[pk])
            except Exception:  # noqa: BLE001 - the broker is down: the beat sweep re-queues the outbox row
                logger.exception("Could not queue e-mail for notification %s; the sweep will retry", pk)


def notification_send_email(notification_id: str) -> bool:
    """Send one pending notification e-mail (in the recipient's language).
    Returns False when it was already sent or is being sent by another worker."""
    from tenants.services import tenant_url

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",)).select_related("recipient")
            .filter(pk=notification_id, email_status=EmailStatus.PENDING).first()
        )
        if notification is None:
            return False
        tenant = current_tenant()
        recipient = notification.recipient
        base_url = tenant_url(tenant.subdomain) if getattr(tenant, "subdomain", None) else ""
        with translation.override(language_for(recipient, tenant)):
            text = render_to_string("notifications/email/notification.txt", {
                "notification": notification, "recipient": recipient, "tenant": tenant, "base_url": base_url,
            })
            send_mail(notification.title, text, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        notification.email_status = EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_status", "emailed_at"])
    return True


def emails_requeue_stale(now: datetime | None = None) -> int:
    """Outbox sweep: queue again the e-mails whose task was lost; give up on
    those pending for more than a day."""
    now = now or timezone.now()
    Notification.objects.filter(
        email_status=EmailStatus.PENDING, created_at__lt=now - EMAIL_GIVE_UP_AFTER
    ).update(email_status=EmailStatus.FAILED)
    stale = [str(pk) for pk in Notification.objects.filter(
        email_status=EmailStatus.PENDING, created_at__lt=now - EMAIL_REQUEUE_AFTER
    ).values_list("pk", flat=True)[:500]]
    if stale:
        _queue_emails(connection.schema_name, stale)
    return len(stale)


# ------------------------------------------------------------ inbox state


def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise DomainError(_("This is not your notification."), code=ErrorCode.NOT_FOUND)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, by) -> int:
    """Mark every unread in-app notification of ``by`` read; returns how many."""
    return Notification.objects.filter(recipient=by, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --------------------------------------------------------------- reminders


def _message_id(message) -> str:
    """The untranslated message id of a lazy translation (so it can be
    translated later, in the recipient's language), or the text itself."""
    if isinstance(message, Promise):
        args = getattr(message, "_args", None)
        if args and isinstance(args[0], str):
            return args[0]
    return str(message)


def remind(*, user, obj: Model, message, at: datetime, params: dict | None = None, link: str = "",
           kind: str = "reminder") -> Reminder:
    """Remind ``user`` about ``obj`` at ``at``. Idempotent per (user, object,
    time): asking twice stores one reminder. ``message`` may be a lazy
    translation with ``params``; it is rendered in the recipient's language
    when delivered."""
    kinds.get(kind)
    link = _check_link(link)
    if timezone.is_naive(at):
        raise ValueError("Reminder times must be timezone-aware.")
    content_type, object_id = _ref(obj)
    message_id = _message_id(message)
    reminder, _created = Reminder.objects.get_or_create(
        user=user, content_type=content_type, object_id=object_id, due_at=at,
        defaults={"message": message_id[:300], "params": {k: str(v) for k, v in (params or {}).items()},
                  "link": link, "kind": kind},
    )
    return reminder


def reminder_cancel(*, obj: Model, user=None) -> int:
    """Drop the unsent reminders about ``obj`` (for ``user`` only, if given)."""
    content_type, object_id = _ref(obj)
    reminders = Reminder.objects.filter(content_type=content_type, object_id=object_id, sent_at__isnull=True)
    if user is not None:
        reminders = reminders.filter(user=user)
    deleted, _rows = reminders.delete()
    return deleted


def reminders_deliver_due(now: datetime | None = None, limit: int = 500) -> int:
    """Deliver the reminders due by ``now`` in the current workspace, each
    exactly once: rows are claimed with ``FOR UPDATE SKIP LOCKED`` and marked
    sent in the same transaction that writes their notification, so a second
    or concurrent run finds nothing left to send. Returns how many were sent."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",)).select_related("user")
            .filter(sent_at__isnull=True, due_at__lte=now).order_by("due_at")[:limit]
        )
        for reminder in due:
            _notify([reminder.user], kind=reminder.kind, title=reminder.message, body="", link=reminder.link,
                    content_type=ContentType.objects.get_for_id(reminder.content_type_id),
                    object_id=reminder.object_id, params=reminder.params)
        if due:
            Reminder.objects.filter(pk__in=[r.pk for r in due], sent_at__isnull=True).update(sent_at=now)
    return len(due)
