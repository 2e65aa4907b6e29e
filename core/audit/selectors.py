"""Reads of the audit log: tenant admins, or roles granting "core.audit.view"."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import restrict

from .models import AuditEntry


def audit_list(*, user) -> QuerySet[AuditEntry]:
    """Audit entries the caller may read (newest first), with the actor."""
    return restrict(AuditEntry.objects.select_related("actor"), user, "core.audit.view")


def change_rows(entry: AuditEntry) -> list[dict]:
    """``[{"field", "old", "new", "pair"}]`` for display: updates store
    ``[old, new]`` pairs, creations and deletions plain values."""
    rows = []
    for field, value in sorted((entry.changes or {}).items()):
        pair = entry.action == AuditEntry.Action.UPDATE and isinstance(value, list) and len(value) == 2
        rows.append({"field": field, "old": value[0] if pair else None, "new": value[1] if pair else value,
                     "pair": pair})
    return rows
