from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("core.users.urls")),
    path("", include("core.modules.urls")),
    path("", include("core.org.urls")),
    path("", include("core.users.urls_admin")),
    path("catalog/", include("core.catalog.urls")),
    path("audit/", include("core.audit.urls")),
    path("approvals/", include("core.approvals.urls")),
    path("notifications/", include("core.notifications.urls")),
    path("billing/", include("billing.urls")),
    path("crm/", include("modules.crm.urls")),
    path("oa/", include("modules.oa.urls")),
    path("", views.home, name="home"),
]
