"""Announcements: publish to everyone or to departments (members at publish
time get a receipt row and an in-app notification), mark read, acknowledge
required reading. Publishing needs ``oa.announcement.add``."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify

from ..models import Announcement, AnnouncementKind, AnnouncementReceipt
from ._common import audience, raise_if, text

PUBLISHED_TITLE = gettext_lazy("New: %(title)s")
MUST_READ_TITLE = gettext_lazy("Required reading: %(title)s")


@transaction.atomic
def announcement_publish(*, by, title: str, body: str, kind: str = AnnouncementKind.ANNOUNCEMENT,
                         to_all: bool = True, departments=(), requires_ack: bool = False) -> Announcement:
    data = {"title": title, "body": body}
    errors: dict = {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "body", 20000, required=True)
    if kind not in AnnouncementKind.values:
        errors["kind"] = [_("Choose a valid kind.")]
    departments = list(departments or [])
    if not to_all and not departments:
        errors["departments"] = [_("Choose at least one department, or publish to everyone.")]
    raise_if(errors)
    announcement = Announcement.objects.create(kind=kind, author=by, to_all=to_all, requires_ack=requires_ack,
                                               published_at=timezone.now(), **data)
    if not to_all:
        announcement.departments.set(departments)
    readers = audience(departments=departments, everyone=to_all)
    if by not in readers:
        readers.append(by)  # the author sees their own announcement like a reader
    AnnouncementReceipt.objects.bulk_create([AnnouncementReceipt(announcement=announcement, user=u) for u in readers])
    notify([u for u in readers if u.pk != by.pk], kind="oa.announcement",
           title=MUST_READ_TITLE if requires_ack else PUBLISHED_TITLE, body="",
           link=reverse("oa:announcement-detail", args=[announcement.pk]), obj=announcement,
           params={"title": announcement.title})
    audit_record(actor=by, action="create", obj=announcement)
    return announcement


@transaction.atomic
def announcement_delete(*, announcement: Announcement, by) -> None:
    audit_record(actor=by, action="delete", obj=announcement)
    announcement.delete()


def announcement_mark_read(*, announcement: Announcement, by) -> AnnouncementReceipt:
    """Record that ``by`` read it (the first time only)."""
    receipt = AnnouncementReceipt.objects.filter(announcement=announcement, user=by).first()
    if receipt is None:
        raise DomainError(_("This announcement was not sent to you."), code=ErrorCode.PERMISSION_DENIED)
    if receipt.read_at is None:
        now = timezone.now()
        AnnouncementReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=now)
        receipt.refresh_from_db()
    return receipt


@transaction.atomic
def announcement_acknowledge(*, announcement: Announcement, by) -> AnnouncementReceipt:
    """``by`` confirms they read required reading (once; reading is implied)."""
    if not announcement.requires_ack:
        raise DomainError(_("This announcement does not need an acknowledgement."), code=ErrorCode.CONFLICT)
    receipt = (AnnouncementReceipt.objects.select_for_update(of=("self",))
               .filter(announcement=announcement, user=by).first())
    if receipt is None:
        raise DomainError(_("This announcement was not sent to you."), code=ErrorCode.PERMISSION_DENIED)
    if receipt.acknowledged_at is not None:
        raise DomainError(_("You already acknowledged this announcement."), code=ErrorCode.CONFLICT)
    now = timezone.now()
    receipt.read_at = receipt.read_at or now
    receipt.acknowledged_at = now
    receipt.save(update_fields=["read_at", "acknowledged_at"])
    return receipt
