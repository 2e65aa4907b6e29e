"""The root domain's URLs plus the load run's baseline view."""

from django.http import JsonResponse
from django.urls import path

from core.urls_public import handler403, handler404, handler500  # noqa: F401
from core.urls_public import urlpatterns as product_urlpatterns


def bare_json(request):
    """The cheapest Django JSON answer: no database, no template, no auth."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare_json, name="bench-bare"), *product_urlpatterns]
