"""Attachment downloads and removal for documents and meetings alike (the
files are never on a public URL: this view checks the caller can see the
document or meeting first, else 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError

from .. import selectors, services
from ..downloads import attachment_response


def _back(attachment):
    if attachment.document_id:
        return redirect("oa:document-detail", pk=attachment.document_id)
    return redirect("oa:meeting-detail", pk=attachment.meeting_id)


@login_required
@require_GET
def attachment_download(request, pk):
    return attachment_response(get_object_or_404(selectors.attachment_list(user=request.user), pk=pk))


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(selectors.attachment_list(user=request.user), pk=pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File removed."))
    return _back(attachment)
