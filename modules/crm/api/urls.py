"""Included by api/urls.py under /api/v1/crm/ with the namespace "crm"."""

from rest_framework.routers import SimpleRouter

from .views import CustomerViewSet

router = SimpleRouter(trailing_slash=True)
router.register("customers", CustomerViewSet, basename="customer")

urlpatterns = router.urls
