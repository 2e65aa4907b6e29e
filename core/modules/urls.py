from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.workspace_settings_page, name="settings-workspace"),
    path("settings/modules/", views.modules_page, name="settings-modules"),
    path("settings/modules/<slug:key>/", views.module_toggle, name="settings-module-toggle"),
]
