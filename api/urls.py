"""The tenant API router: core endpoints, then one namespace per module
(the namespace is the module key, which the module guard checks)."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from core.modules import registry
from core.modules.api import ModuleViewSet
from core.users.api.views import ApiTokenViewSet, MeView, ObtainTokenView, UserViewSet
from tenants.api.settings_views import WorkspaceSettingsView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("auth/tokens", ApiTokenViewSet, basename="apitoken")
router.register("users", UserViewSet, basename="user")
router.register("modules", ModuleViewSet, basename="module")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("settings/", WorkspaceSettingsView.as_view(), name="workspace-settings"),
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


urlpatterns += _module_api_patterns()
