"""API permission = authenticated + module enabled (the guard middleware) +
role permission for the view's object type and action. Data scope is applied
by the view's selector."""

from rest_framework import permissions

from core.access import access_for

ACTION_FOR_METHOD = {
    "GET": "view", "HEAD": "view", "OPTIONS": "view",
    "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete",
}


class TenantPermission(permissions.BasePermission):
    """Views declare ``permission_object = "crm.customer"``; custom actions may
    declare ``required_action`` ("export", "approve"...). Views with
    ``admin_only = True`` need a tenant admin."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        access = access_for(user)
        if getattr(view, "admin_only", False):
            return access.is_admin
        obj = getattr(view, "permission_object", None)
        if obj is None:
            return True
        # @action(..., required_action="export") sets the attribute per route.
        action = getattr(view, "required_action", None) or ACTION_FOR_METHOD.get(request.method, "view")
        return access.can(f"{obj}.{action}")
