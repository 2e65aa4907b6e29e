"""Internal messages: sent to people and/or departments (expanded to their
active members at send time, one recipient row each, plus a notification
that also goes by e-mail per the recipient's preferences)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, ErrorCode
from core.notifications.services import notify

from ..models import Message, MessageRecipient
from ._common import audience, check_members, raise_if, text

MESSAGE_TITLE = gettext_lazy("Message from %(sender)s: %(subject)s")


@transaction.atomic
def message_send(*, by, subject: str, body: str, users=(), departments=()) -> Message:
    data = {"subject": subject, "body": body}
    errors: dict = {}
    text(data, errors, "subject", 200, required=True)
    text(data, errors, "body", 20000, required=True)
    users, departments = list(users or []), list(departments or [])
    check_members(users, errors, "users")
    if not errors and not users and not departments:
        errors["users"] = [_("Choose at least one person or department.")]
    raise_if(errors)
    recipients = audience(users=users, departments=departments, exclude=by)
    if not recipients:
        raise DomainError(_("Nobody would receive this message."),
                          fields={"departments": [_("These departments have no other active members.")]})
    message = Message.objects.create(sender=by, sent_at=timezone.now(), **data)
    message.departments.set(departments)
    MessageRecipient.objects.bulk_create([MessageRecipient(message=message, user=u) for u in recipients])
    notify(recipients, kind="oa.message", title=MESSAGE_TITLE, body=message.body,
           link=reverse("oa:message-detail", args=[message.pk]), obj=message,
           params={"sender": by, "subject": message.subject})
    return message


def message_mark_read(*, message: Message, by) -> MessageRecipient | None:
    """Mark ``by``'s copy read (first time only). Returns None for the sender's own message."""
    row = MessageRecipient.objects.filter(message=message, user=by).first()
    if row is None:
        if message.sender_id == by.pk:
            return None
        raise DomainError(_("This message was not sent to you."), code=ErrorCode.NOT_FOUND)
    if row.read_at is None:
        MessageRecipient.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=timezone.now())
        row.refresh_from_db()
    return row
