"""The HTTP answer for an attachment download, shared by the page and the
API: always a download (``Content-Disposition: attachment`` with the original
name, RFC 5987-encoded when it is not ASCII), never rendered by the browser
(``application/octet-stream``, ``nosniff``), never cached by shared caches.
Callers find the attachment through ``selectors.attachment_list`` first."""

import logging

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from .models import Attachment

logger = logging.getLogger(__name__)


def attachment_response(attachment: Attachment) -> FileResponse:
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("Attachment %s has no stored file %s", attachment.pk, attachment.file.name)
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=attachment.name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
