"""The tenant's home page: a workbench with the modules this workspace has
switched on and, for administrators, the way to the administration pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.access import access_for
from core.modules import registry

from .templatetags.weft import admin_pages_for, url_or_none


def workbench_modules(tenant, access) -> list[dict]:
    """Enabled modules in registry order, each with the pages the user may open."""
    enabled = tenant.enabled_module_keys()
    modules = []
    for spec in registry.all():
        if spec.key not in enabled:
            continue
        links, has_pages = [], False
        for item in spec.nav:
            url = url_or_none(item.url_name)
            if url is None:
                continue
            has_pages = True
            if item.permission and not access.can(item.permission):
                continue
            links.append({"label": item.label, "url": url})
        modules.append({"key": spec.key, "name": spec.name, "description": spec.description,
                        "links": links, "has_pages": has_pages})
    return modules


@login_required
def home(request):
    access = access_for(request.user)
    context = {
        "modules": workbench_modules(request.tenant, access),
        "admin_links": admin_pages_for(access),
        "modules_url": url_or_none("settings-modules") if access.is_admin else None,
    }
    if "oa" in request.tenant.enabled_module_keys():
        # With OA on, the landing page is the OA workbench (above the module overview).
        from modules.oa.views import workbench_context

        context.update(workbench_context(request), show_workbench=True)
    return render(request, "web/home.html", context)
