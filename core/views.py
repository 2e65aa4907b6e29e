"""Error pages: JSON under /api/ (the API's error shape), HTML elsewhere."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import ErrorCode, json_error, wants_json


def page_not_found(request, exception=None):
    if wants_json(request):
        return json_error(ErrorCode.NOT_FOUND, _("Not found."), status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if wants_json(request):
        return json_error(ErrorCode.PERMISSION_DENIED, _("You do not have permission to do this."), status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    if wants_json(request):
        return json_error("server_error", _("Something went wrong on our side. It has been logged."), status=500)
    return render(request, "500.html", status=500)
