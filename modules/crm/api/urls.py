"""Included by api/urls.py under /api/v1/crm/ with the namespace "crm"."""

from rest_framework.routers import SimpleRouter

from .views import (
    ContactViewSet, CustomerViewSet, FollowUpViewSet, OpportunityViewSet, OwnerChangeViewSet, QuoteViewSet,
    ReassignmentViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("customers", CustomerViewSet, basename="customer")
router.register("contacts", ContactViewSet, basename="contact")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("follow-ups", FollowUpViewSet, basename="followup")
router.register("owner-changes", OwnerChangeViewSet, basename="ownerchange")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("reassignments", ReassignmentViewSet, basename="reassignment")

urlpatterns = router.urls
