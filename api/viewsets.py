"""Base viewset for tenant resources: declares the permission object; custom
actions pass ``required_action`` ("export", "approve"...) to ``@action``."""

from rest_framework import viewsets


class TenantViewSet(viewsets.GenericViewSet):
    permission_object: str | None = None
    required_action: str | None = None
