"""Navigation built from the module registry: enabled modules only, and only
the entries the user's role may view."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from core.access import access_for
from core.modules import registry


def navigation(request):
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.schema_name == "public" or user is None or not user.is_authenticated:
        return {"nav_modules": [], "root_domain": settings.ROOT_DOMAIN}
    access = access_for(user)
    enabled = tenant.enabled_module_keys()
    nav = []
    for spec in registry.all():
        if spec.key not in enabled:
            continue
        items = []
        for item in spec.nav:
            if item.permission and not access.can(item.permission):
                continue
            try:
                items.append({"label": item.label, "url": reverse(item.url_name)})
            except NoReverseMatch:
                continue
        if items:
            nav.append({"key": spec.key, "name": spec.name, "items": items})
    return {"nav_modules": nav, "access": access, "root_domain": settings.ROOT_DOMAIN}
