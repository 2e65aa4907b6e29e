"""Included by api/urls.py under /api/v1/crm/ with the namespace "crm"."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import BidViewSet, CrmSettingsView, LeadViewSet
from .views import (
    ArticleCategoryViewSet, ArticleViewSet, CompetitorProductViewSet, CompetitorViewSet, ComplaintViewSet,
    OpportunityCompetitorViewSet,
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
router.register("competitors", CompetitorViewSet, basename="competitor")
router.register("competitor-products", CompetitorProductViewSet, basename="competitorproduct")
router.register("opportunity-competitors", OpportunityCompetitorViewSet, basename="opportunitycompetitor")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("knowledge-categories", ArticleCategoryViewSet, basename="articlecategory")
router.register("articles", ArticleViewSet, basename="article")
router.register("leads", LeadViewSet, basename="lead")
router.register("bids", BidViewSet, basename="bid")

urlpatterns = [path("settings/", CrmSettingsView.as_view(), name="settings"), *router.urls]
