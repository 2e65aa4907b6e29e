from django.urls import path

from tenants import export_views

from . import views

urlpatterns = [
    path("settings/", views.workspace_settings_page, name="settings-workspace"),
    path("settings/modules/", views.modules_page, name="settings-modules"),
    path("settings/export/", export_views.export_page, name="settings-export"),
    path("settings/export/start/", export_views.export_start, name="settings-export-start"),
    path("settings/export/<uuid:export_id>/", export_views.export_row, name="settings-export-row"),
    path("settings/export/<uuid:export_id>/download/", export_views.export_download, name="settings-export-download"),
    path("settings/modules/<slug:key>/", views.module_toggle, name="settings-module-toggle"),
]
