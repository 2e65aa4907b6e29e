"""Included by api/urls.py under /api/v1/approvals/ (no namespace: the page
namespace "approvals" belongs to the web pages, see decision 9)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    ApprovalSettingsView, DelegationViewSet, DocumentTypeViewSet, FlowViewSet, PendingViewSet, RequestViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("flows", FlowViewSet, basename="approval-flow")
router.register("requests", RequestViewSet, basename="approval-request")
router.register("pending", PendingViewSet, basename="approval-pending")
router.register("delegations", DelegationViewSet, basename="approval-delegation")
router.register("document-types", DocumentTypeViewSet, basename="approval-document-type")

urlpatterns = [
    path("settings/", ApprovalSettingsView.as_view(), name="approval-settings"),
    *router.urls,
]
