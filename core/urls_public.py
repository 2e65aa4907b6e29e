"""URLs of the root domain: marketing, plans, signup, workspace login, ops."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing import views as billing_views
from core.health import healthz
from tenants import views as tenant_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", tenant_views.landing, name="landing"),
    path("signup/", tenant_views.signup, name="signup"),
    path("login/", tenant_views.workspace_login, name="workspace-login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("billing/webhook/", billing_views.stripe_webhook, name="stripe-webhook"),
    path("ops/", include("tenants.ops.urls")),
    path("api/v1/", include("tenants.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="tenants.api.urls_schema"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler404 = "core.views.page_not_found"
handler403 = "core.views.permission_denied"
handler500 = "core.views.server_error"
