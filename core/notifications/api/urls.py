"""Included by api/urls.py under /api/v1/notifications/."""

from rest_framework.routers import SimpleRouter

from .views import NotificationViewSet, PreferenceViewSet

router = SimpleRouter(trailing_slash=True)
router.register("preferences", PreferenceViewSet, basename="notification-preference")
router.register("", NotificationViewSet, basename="notification")

urlpatterns = router.urls
