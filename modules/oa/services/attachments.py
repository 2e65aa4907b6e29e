"""Files attached to documents and meetings: one upload, delete and clean-up
path for both.

- Attach: to a document, whoever may edit it; to a meeting, whoever sees it
  and holds ``oa.meeting.change`` (the organiser, a minute-taker).
- Remove: whoever uploaded it, whoever may edit the document / the meeting's
  organiser, and tenant admins.
- Files are stored under the workspace's schema name with a random name (see
  ``models.attachments.attachment_path``), at most ``ATTACHMENT_MAX_BYTES``;
  a file is removed from storage only once its deletion is committed."""

from __future__ import annotations

import os
import unicodedata
from functools import partial

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import access_for
from core.audit.services import audit_record
from core.errors import DomainError, ErrorCode

from .. import selectors
from ..models import Attachment, Document, Meeting
from ._common import raise_if

MAX_NAME = 255


def display_name(raw: str) -> str:
    """The name people see and download under: the last part of what the
    browser sent (no folders), without control characters, at most 255
    characters (the extension is kept). Never used in a storage path."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name.strip(".") == "":
        return "file"
    if len(name) > MAX_NAME:
        stem, extension = os.path.splitext(name)
        extension = extension[:16]
        name = stem[:MAX_NAME - len(extension)] + extension
    return name


def _may_attach(parent, by) -> bool:
    if isinstance(parent, Document):
        return selectors.can_edit(user=by, item=parent)
    return (access_for(by).can("oa.meeting.change")
            and selectors.meeting_list(user=by).filter(pk=parent.pk).exists())


def _may_remove(attachment: Attachment, by) -> bool:
    if attachment.uploaded_by_id == by.pk or access_for(by).is_admin:
        return True
    if attachment.document_id:
        return selectors.can_edit(user=by, item=attachment.document)
    return attachment.meeting.organiser_id == by.pk


def delete_files_after_commit(names) -> None:
    """Remove stored files once the surrounding transaction commits (never
    when it rolls back: the rows still point at them)."""
    for name in names:
        if name:
            transaction.on_commit(partial(default_storage.delete, name))


@transaction.atomic
def attachment_add(*, parent: Document | Meeting, by, upload) -> Attachment:
    """Store ``upload`` (an uploaded file) as an attachment of ``parent``."""
    if not _may_attach(parent, by):
        raise DomainError(_("You cannot attach files here."), code=ErrorCode.PERMISSION_DENIED)
    errors: dict = {}
    limit_mb = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
    if upload is None:
        errors["file"] = [_("Choose a file.")]
    elif upload.size == 0:
        errors["file"] = [_("The file is empty.")]
    elif upload.size > settings.ATTACHMENT_MAX_BYTES:
        errors["file"] = [_("The file is too large: at most %(mb)d MB.") % {"mb": limit_mb}]
    raise_if(errors)
    field = "document" if isinstance(parent, Document) else "meeting"
    attachment = Attachment(**{field: parent}, name=display_name(upload.name), size=upload.size, uploaded_by=by)
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        default_storage.delete(attachment.file.name)
        raise
    audit_record(actor=by, action="update", obj=parent, message=f"attached {attachment.name}"[:300])
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    if not _may_remove(attachment, by):
        raise DomainError(_("Only the uploader or whoever manages it can remove this file."),
                          code=ErrorCode.PERMISSION_DENIED)
    audit_record(actor=by, action="update", obj=attachment.parent, message=f"removed {attachment.name}"[:300])
    name = attachment.file.name
    attachment.delete()
    delete_files_after_commit([name])
