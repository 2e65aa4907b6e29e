"""Standing delegations (委托): while an approver is away, a colleague may act
on their approvals; every such decision records "on behalf of".

Rules: people delegate their own approvals (administrators may set one up for
anyone); the delegate is another active member; the period ends after it
starts and in the future; one person's delegations never overlap (checked
under a lock on that person's row, so two concurrent requests cannot both
pass). Delegations do not chain: a delegate acts only for those who
delegated to them directly."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import access_for
from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode

from ..models import Delegation

User = get_user_model()


def _active(at: datetime | None = None):
    at = at or timezone.now()
    return Delegation.objects.filter(starts_at__lte=at, ends_at__gt=at)


def active_delegators(user, at: datetime | None = None) -> list:
    """Ids of the people whose approvals ``user`` may act on right now."""
    if user is None or not getattr(user, "pk", None):
        return []
    # The approver may have left (inactive): an administrator's delegation from
    # them is how their pending approvals get decided.
    return list(_active(at).filter(to_user=user).values_list("from_user_id", flat=True))


def active_delegates(users, at: datetime | None = None) -> dict:
    """``{approver_id: [delegate, ...]}`` for the approvers who are away now."""
    result: dict = {}
    rows = _active(at).filter(from_user__in=[u.pk for u in users], to_user__is_active=True).select_related("to_user")
    for delegation in rows:
        result.setdefault(delegation.from_user_id, []).append(delegation.to_user)
    return result


@transaction.atomic
def delegation_create(*, by, to_user, starts_at: datetime, ends_at: datetime, note: str = "",
                      from_user=None) -> Delegation:
    from_user = from_user or by
    if from_user.pk != by.pk and not access_for(by).is_admin:
        raise DomainError(_("You can only delegate your own approvals."), code=ErrorCode.PERMISSION_DENIED)
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("Use at most %(n)d characters.") % {"n": 200}]
    if to_user is None:
        errors["to_user"] = [_("This field is required.")]
    elif to_user.pk == from_user.pk:
        errors["to_user"] = [_("Choose someone else.")]
    elif not to_user.is_active:
        errors["to_user"] = [_("This person is not an active member.")]
    if starts_at is None or ends_at is None:
        errors["ends_at"] = [_("Give the start and the end.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    elif ends_at <= timezone.now():
        errors["ends_at"] = [_("The end must be in the future.")]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    User.objects.select_for_update().filter(pk=from_user.pk).first()  # serialises this person's delegations
    if Delegation.objects.filter(from_user=from_user, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise DomainError(
            _("This period overlaps another delegation of the same person."),
            fields={"starts_at": [_("Overlaps another delegation.")]},
        )
    delegation = Delegation.objects.create(from_user=from_user, to_user=to_user, starts_at=starts_at,
                                           ends_at=ends_at, note=note, created_by=by)
    audit_record(actor=by, action="create", obj=delegation,
                 changes={"from_user": from_user.pk, "to_user": to_user.pk, "starts_at": starts_at.isoformat(),
                          "ends_at": ends_at.isoformat()})
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, by) -> Delegation | None:
    """End a delegation now (kept in the history), or delete one that has not
    started yet (returns None then). An ended delegation cannot end again."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.from_user_id != by.pk and not access_for(by).is_admin:
        raise DomainError(_("Only the person who delegated can end this delegation."),
                          code=ErrorCode.PERMISSION_DENIED)
    now = timezone.now()
    if delegation.ends_at <= now:
        raise DomainError(_("This delegation has already ended."), code=ErrorCode.CONFLICT)
    if delegation.starts_at >= now:
        audit_record(actor=by, action="delete", obj=delegation, changes={"to_user": delegation.to_user_id})
        delegation.delete()
        return None
    audit_record(actor=by, action="update", obj=delegation,
                 changes={"ends_at": [delegation.ends_at.isoformat(), now.isoformat()]})
    delegation.ends_at = now
    delegation.save(update_fields=["ends_at", "updated_at"])
    return delegation
