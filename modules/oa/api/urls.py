"""Included by api/urls.py under /api/v1/oa/ with the namespace "oa"."""

from rest_framework.routers import SimpleRouter

from .views import (
    AnnouncementViewSet, AttachmentViewSet, DocumentViewSet, EventViewSet, ExpenseClaimViewSet, FolderViewSet,
    LeaveRequestViewSet, MeetingViewSet, MessageViewSet, ShareViewSet, WorkLogViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("leave-requests", LeaveRequestViewSet, basename="leaverequest")
router.register("expense-claims", ExpenseClaimViewSet, basename="expenseclaim")
router.register("work-logs", WorkLogViewSet, basename="worklog")
router.register("events", EventViewSet, basename="event")
router.register("messages", MessageViewSet, basename="message")
router.register("announcements", AnnouncementViewSet, basename="announcement")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("folders", FolderViewSet, basename="folder")
router.register("documents", DocumentViewSet, basename="document")
router.register("shares", ShareViewSet, basename="share")
router.register("attachments", AttachmentViewSet, basename="attachment")

urlpatterns = router.urls
