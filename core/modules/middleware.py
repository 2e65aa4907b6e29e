"""The module guard: a URL that belongs to a module (its URL namespace is the
module key) answers 404 while the tenant has that module switched off."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.errors import ErrorCode, json_error, wants_json

from . import registry


def disabled_module_for(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    tenant = getattr(request, "tenant", None)
    if match is None or tenant is None:
        return None
    for namespace in match.namespaces:
        if namespace in registry and namespace not in tenant.enabled_module_keys():
            return namespace
    return None


class ModuleGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        key = disabled_module_for(request)
        if key is None:
            return None
        message = _("The %(module)s module is not enabled for this workspace.") % {"module": registry[key].name}
        if wants_json(request):
            return json_error(ErrorCode.MODULE_DISABLED, message, status=404)
        raise Http404(message)
