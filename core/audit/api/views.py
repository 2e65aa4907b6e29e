"""The audit log, read-only: tenant admins and roles with "core.audit.view"."""

from rest_framework import mixins

from api.viewsets import TenantViewSet
from core.audit import selectors
from core.audit.filters import AuditEntryFilterSet
from core.audit.models import AuditEntry

from .serializers import AuditEntrySerializer


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Who changed what and when, newest first. Filter by ``object_type``,
    ``object_id``, ``actor``, ``action`` and ``date_from``/``date_to``
    (dates in the workspace time zone)."""

    serializer_class = AuditEntrySerializer
    permission_object = "core.audit"
    queryset = AuditEntry.objects.none()
    filterset_class = AuditEntryFilterSet
    search_fields = ["object_repr", "actor_label", "message"]
    ordering_fields = ["at"]

    def get_queryset(self):
        return selectors.audit_list(user=self.request.user)
