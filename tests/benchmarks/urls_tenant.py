"""A tenant host's URLs plus the load run's baseline view."""

from django.urls import path

from core.urls_tenant import handler403, handler404, handler500  # noqa: F401
from core.urls_tenant import urlpatterns as product_urlpatterns

from .urls_public import bare_json

urlpatterns = [path("bench/bare/", bare_json, name="bench-bare"), *product_urlpatterns]
