"""Record audit entries. Services call :func:`audit_record` for every change."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Model

from .models import AuditEntry


def _plain(value):
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def changes_between(instance: Model, data: dict) -> dict:
    """``{field: [old, new]}`` for the fields of ``data`` that differ on ``instance``."""
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name, None)
        if hasattr(old, "all"):
            old = list(old.all())
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
    return changes


def audit_record(*, actor, action: str, obj: Model, changes: dict | None = None, message: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        message=message[:300],
    )


def update_audited(obj: Model, data: dict, *, by, save=None) -> Model:
    """Set ``data`` on ``obj`` and save it with an audit entry — only when
    something really changed (the service has already validated ``data``).
    ``save(obj)`` replaces ``obj.save()`` where the service saves its own way
    (e.g. turning a unique violation into a field error)."""
    changes = changes_between(obj, data)
    if changes:
        for field, value in data.items():
            setattr(obj, field, value)
        if save is None:
            obj.save()
        else:
            save(obj)
        audit_record(actor=by, action="update", obj=obj, changes=changes)
    return obj
