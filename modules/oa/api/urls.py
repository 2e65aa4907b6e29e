"""Included by api/urls.py under /api/v1/oa/ with the namespace "oa"."""

from rest_framework.routers import SimpleRouter

from .views import (
    AnnouncementViewSet, EventViewSet, ExpenseClaimViewSet, LeaveRequestViewSet, MeetingViewSet, MessageViewSet,
    WorkLogViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("leave-requests", LeaveRequestViewSet, basename="leaverequest")
router.register("expense-claims", ExpenseClaimViewSet, basename="expenseclaim")
router.register("work-logs", WorkLogViewSet, basename="worklog")
router.register("events", EventViewSet, basename="event")
router.register("messages", MessageViewSet, basename="message")
router.register("announcements", AnnouncementViewSet, basename="announcement")
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
