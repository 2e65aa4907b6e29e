"""Work logs: one per author and day; only the author writes their own log
(managers read them through their data scope, they do not edit them)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.services import audit_record, changes_between
from core.errors import DomainError, ErrorCode

from ..models import WorkLog
from ._common import raise_if, text

MAX_TEXT = 5000
# A log may be written for today or the past week (not the future, not last year).
BACKDATE_DAYS = 7


def _clean(data: dict) -> dict:
    errors: dict = {}
    text(data, errors, "summary", MAX_TEXT, required=True)
    text(data, errors, "next_plan", MAX_TEXT)
    if "day" in data:
        day = data["day"]
        today = timezone.localdate()
        if not isinstance(day, date):
            errors["day"] = [_("Enter a date.")]
        elif day > today:
            errors["day"] = [_("A work log cannot be written for a future day.")]
        elif day < today - timedelta(days=BACKDATE_DAYS):
            errors["day"] = [_("Work logs can be written for the last %(n)d days only.") % {"n": BACKDATE_DAYS}]
    raise_if(errors)
    return data


def _duplicate() -> DomainError:
    return DomainError(_("You already wrote a work log for this day."), code=ErrorCode.CONFLICT,
                       fields={"day": [_("You already wrote a work log for this day.")]})


@transaction.atomic
def worklog_create(*, by, summary: str, day: date | None = None, next_plan: str = "") -> WorkLog:
    data = _clean({"day": day or timezone.localdate(), "summary": summary, "next_plan": next_plan})
    if WorkLog.objects.filter(author=by, day=data["day"]).exists():
        raise _duplicate()
    try:
        with transaction.atomic():
            log = WorkLog.objects.create(author=by, department=by.department, **data)
    except IntegrityError as exc:  # a concurrent create for the same day
        raise _duplicate() from exc
    audit_record(actor=by, action="create", obj=log)
    return log


@transaction.atomic
def worklog_update(*, log: WorkLog, by, **fields) -> WorkLog:
    if log.author_id != by.pk:
        raise DomainError(_("Only the author can change a work log."), code=ErrorCode.PERMISSION_DENIED)
    data = _clean({k: v for k, v in fields.items() if k in {"summary", "next_plan"}})
    changes = changes_between(log, data)
    for key, value in data.items():
        setattr(log, key, value)
    log.save()
    if changes:
        audit_record(actor=by, action="update", obj=log, changes=changes)
    return log


@transaction.atomic
def worklog_delete(*, log: WorkLog, by) -> None:
    if log.author_id != by.pk:
        raise DomainError(_("Only the author can delete a work log."), code=ErrorCode.PERMISSION_DENIED)
    audit_record(actor=by, action="delete", obj=log)
    log.delete()
