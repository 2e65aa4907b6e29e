from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.ops_login, name="login"),
    path("logout/", views.ops_logout, name="logout"),
    path("tenants/", views.tenant_list, name="tenant-list"),
    path("tenants/<uuid:public_id>/", views.tenant_detail, name="tenant-detail"),
    path("tenants/<uuid:public_id>/support-access/", views.tenant_support_access, name="tenant-support-access"),
    path("tenants/<uuid:public_id>/export/", views.tenant_export, name="tenant-export"),
    path("tenants/<uuid:public_id>/change-plan/", views.tenant_change_plan, name="tenant-change-plan"),
    path("tenants/<uuid:public_id>/<slug:action>/", views.tenant_action, name="tenant-action"),
    path("exports/<uuid:export_id>/progress/", views.export_progress, name="export-progress"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="export-download"),
    path("audit/", views.audit_log, name="audit-log"),
]
