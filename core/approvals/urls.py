"""Approval pages, included from web/urls.py under ``approvals/``. Approvals
are part of the platform (not a switchable module), so the namespace is not a
module key and the module guard leaves it alone."""

from django.urls import path

from . import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("delegations/", views.delegation_list, name="delegation-list"),
    path("delegations/<uuid:pk>/end/", views.delegation_end, name="delegation-end"),
    path("flows/", views.flow_list, name="flow-list"),
    path("flows/new/", views.flow_create, name="flow-create"),
    path("flows/<uuid:pk>/edit/", views.flow_edit, name="flow-edit"),
    path("flows/<uuid:pk>/delete/", views.flow_delete, name="flow-delete"),
    path("<uuid:pk>/", views.request_detail, name="request-detail"),
    path("<uuid:pk>/<slug:action>/", views.request_action, name="request-action"),
]
