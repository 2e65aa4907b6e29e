"""The tenant API router: core endpoints, then one namespace per module
(the namespace is the module key, which the module guard checks)."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from core.audit.api.views import AuditEntryViewSet
from core.catalog.api.views import CategoryViewSet, ProductViewSet
from core.modules import registry
from core.modules.api import ModuleViewSet
from core.org.api.views import DepartmentViewSet, PermissionCatalogViewSet, RoleViewSet
from core.users.api.views import ApiTokenViewSet, MeView, ObtainTokenView, UserViewSet
from tenants.api.settings_views import WorkspaceSettingsView
from tenants.export_views import TenantExportViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("auth/tokens", ApiTokenViewSet, basename="apitoken")
router.register("users", UserViewSet, basename="user")
router.register("modules", ModuleViewSet, basename="module")
router.register("exports", TenantExportViewSet, basename="export")
router.register("departments", DepartmentViewSet, basename="department")
router.register("roles", RoleViewSet, basename="role")
router.register("permissions", PermissionCatalogViewSet, basename="permission")
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("audit-log", AuditEntryViewSet, basename="auditentry")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("settings/", WorkspaceSettingsView.as_view(), name="workspace-settings"),
    path("billing/", include("billing.api.urls")),
    path("approvals/", include("core.approvals.api.urls")),
    path("notifications/", include("core.notifications.api.urls")),
    path("", include(router.urls)),
]


def _module_api_patterns():
    patterns = []
    for spec in registry.all():
        try:
            module_urls = import_module(f"modules.{spec.key}.api.urls")
        except ModuleNotFoundError:
            continue
        patterns.append(path(f"{spec.key}/", include((module_urls.urlpatterns, spec.key), namespace=spec.key)))
    return patterns


# Module APIs sit inside an outer "api" namespace ("api:crm:customer-list"), so
# the module's pages own the bare module namespace ("crm:customer-list", used by
# the navigation). Without it both trees claim "crm" and Django reverses page
# names into the API. Both still carry the module key the module guard checks.
urlpatterns += [path("", include((_module_api_patterns(), "api"), namespace="api"))]
