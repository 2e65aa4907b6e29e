"""Documents and folders: write, edit (every change of the title or text is
a new numbered version), restore an old version (saved again as the newest),
move, share with people or departments, delete.

Who may do what (who sees and edits is decided by
``selectors.document_list`` / ``folder_list``):
- add a document or folder: ``oa.document.add``; inside a folder, edit access
  to that folder;
- change the title and text, restore a version, attach files: edit access;
- move, share, delete: the owner (or a tenant admin)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.services import audit_record, changes_between, update_audited
from core.errors import DomainError, ErrorCode
from core.notifications.services import notify
from core.trees import subtree_ids

from .. import selectors
from ..models import Document, DocumentVersion, Folder, Share, SharePermission
from ._common import audience, raise_if, text
from .attachments import delete_files_after_commit

MAX_BODY = 200_000
SHARED_TITLE = gettext_lazy("%(owner)s shared “%(title)s” with you")


def _manage_only(item, by, message: str) -> None:
    if not selectors.can_manage(user=by, item=item):
        raise DomainError(message, code=ErrorCode.PERMISSION_DENIED)


def _edit_only(item, by) -> None:
    if not selectors.can_edit(user=by, item=item):
        raise DomainError(_("You can read this but not change it."), code=ErrorCode.PERMISSION_DENIED)


def _check_target(folder: Folder | None, by, errors: dict, field: str) -> None:
    """``folder`` (None: the top level) must be one ``by`` may add to."""
    if folder is not None and not selectors.can_edit(user=by, item=folder):
        errors[field] = [_("Choose a folder you can add to.")]


def _locked(item):
    return type(item).objects.select_for_update(of=("self",)).get(pk=item.pk)


# ---------------------------------------------------------------- folders


def _name_taken() -> DomainError:
    return DomainError(_("There is already a folder with this name here."),
                       fields={"name": [_("There is already a folder with this name here.")]})


def _save_folder(folder: Folder) -> None:
    """Save, turning a duplicate name (also a concurrent one) into a clear error."""
    siblings = Folder.objects.filter(parent=folder.parent) if folder.parent_id else Folder.objects.filter(
        parent__isnull=True, owner_id=folder.owner_id)
    if siblings.filter(name__iexact=folder.name).exclude(pk=folder.pk).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError as exc:
        raise _name_taken() from exc


@transaction.atomic
def folder_create(*, by, name: str, parent: Folder | None = None) -> Folder:
    data, errors = {"name": name}, {}
    text(data, errors, "name", 120, required=True)
    _check_target(parent, by, errors, "parent")
    raise_if(errors)
    folder = Folder(owner=by, department=by.department, parent=parent, **data)
    _save_folder(folder)
    audit_record(actor=by, action="create", obj=folder)
    return folder


@transaction.atomic
def folder_update(*, folder: Folder, by, **fields) -> Folder:
    """Rename or move (``parent``; None is the top level) a folder."""
    folder = _locked(folder)
    _manage_only(folder, by, _("Only the owner can rename or move this folder."))
    data, errors = {k: v for k, v in fields.items() if k in {"name", "parent"}}, {}
    text(data, errors, "name", 120, required=True)
    if "parent" in data and data["parent"] != folder.parent:
        _check_target(data["parent"], by, errors, "parent")
        if data["parent"] is not None and Folder.objects.filter(pk__in=subtree_ids(Folder, folder),
                                                                pk=data["parent"].pk).exists():
            errors["parent"] = [_("A folder cannot move into itself or into a folder inside it.")]
    raise_if(errors)
    return update_audited(folder, data, by=by, save=_save_folder)


@transaction.atomic
def folder_delete(*, folder: Folder, by) -> None:
    folder = _locked(folder)
    _manage_only(folder, by, _("Only the owner can delete this folder."))
    if folder.children.exists() or folder.documents.exists():
        raise DomainError(_("The folder is not empty: move or delete what is inside first."),
                          code=ErrorCode.CONFLICT)
    audit_record(actor=by, action="delete", obj=folder)
    folder.delete()


# -------------------------------------------------------------- documents


def _save_version(document: Document, by, restored_from: int | None = None) -> DocumentVersion:
    return DocumentVersion.objects.create(document=document, number=document.version, title=document.title,
                                          body=document.body, author=by, restored_from=restored_from)


@transaction.atomic
def document_create(*, by, title: str, body: str = "", folder: Folder | None = None) -> Document:
    data, errors = {"title": title, "body": body}, {}
    text(data, errors, "title", 200, required=True)
    text(data, errors, "body", MAX_BODY)
    _check_target(folder, by, errors, "folder")
    raise_if(errors)
    document = Document.objects.create(owner=by, department=by.department, folder=folder, version=1, **data)
    _save_version(document, by)
    audit_record(actor=by, action="create", obj=document)
    return document


@transaction.atomic
def document_update(*, document: Document, by, **fields) -> Document:
    """Change the title and text (edit access; a new version when either
    changed) and/or move it to another ``folder`` (the owner)."""
    document = _locked(document)
    data, errors = {k: v for k, v in fields.items() if k in {"title", "body", "folder"}}, {}
    if {"title", "body"} & set(data):
        _edit_only(document, by)
    if "folder" in data and data["folder"] != document.folder:
        _manage_only(document, by, _("Only the owner can move this document."))
        _check_target(data["folder"], by, errors, "folder")
    text(data, errors, "title", 200, required=True)
    text(data, errors, "body", MAX_BODY)
    raise_if(errors)
    changes = changes_between(document, data)
    if not changes:
        return document
    new_text = bool({"title", "body"} & set(changes))
    if new_text:
        document.version += 1
    for key, value in data.items():
        setattr(document, key, value)
    document.save()
    if new_text:
        _save_version(document, by)
    changes.pop("body", None)  # the versions keep the text; the audit log says which version
    audit_record(actor=by, action="update", obj=document, changes=changes,
                 message=f"version {document.version}" if new_text else "")
    return document


@transaction.atomic
def document_restore(*, document: Document, by, number: int) -> Document:
    """Save version ``number``'s title and text again as the newest version."""
    document = _locked(document)
    _edit_only(document, by)
    old = document.versions.filter(number=number).first()
    if old is None:
        raise DomainError(_("There is no such version."), fields={"version": [_("There is no such version.")]})
    if old.number == document.version:
        raise DomainError(_("This is already the current version."), code=ErrorCode.CONFLICT)
    document.title, document.body, document.version = old.title, old.body, document.version + 1
    document.save()
    _save_version(document, by, restored_from=old.number)
    audit_record(actor=by, action="update", obj=document,
                 message=f"version {document.version}: restored version {old.number}")
    return document


@transaction.atomic
def document_delete(*, document: Document, by) -> None:
    """Delete the document with its versions, shares and attachments (their
    files are removed once the deletion is committed)."""
    document = _locked(document)
    _manage_only(document, by, _("Only the owner can delete this document."))
    files = list(document.attachments.values_list("file", flat=True))
    audit_record(actor=by, action="delete", obj=document)
    document.delete()
    delete_files_after_commit(files)


# ----------------------------------------------------------------- shares


def _link(item) -> str:
    if isinstance(item, Document):
        return reverse("oa:document-detail", args=[item.pk])
    return reverse("oa:folder-detail", args=[item.pk])


def _readers(people: list) -> list:
    """Those of ``people`` whose roles let them read documents (one query;
    the same rule as ``core.access``: tenant admins, or a role with the code)."""
    allowed = set(get_user_model().objects.filter(pk__in=[p.pk for p in people]).filter(
        Q(is_tenant_admin=True) | Q(roles__permissions__contains=[selectors.DOCUMENT_VIEW]))
        .values_list("pk", flat=True))
    return [p for p in people if p.pk in allowed]


@transaction.atomic
def share_grant(*, item: Document | Folder, by, permission: str, user=None, department=None) -> Share:
    """Give one person or one department view or edit access to a document,
    or to a folder and everything below it. Sharing again with the same
    person or department changes the access."""
    item = _locked(item)
    _manage_only(item, by, _("Only the owner can share this."))
    errors: dict = {}
    if permission not in SharePermission.values:
        errors["permission"] = [_("Choose view or edit.")]
    if (user is None) == (department is None):
        errors["user"] = [_("Choose one person or one department.")]
    elif user is not None and not user.is_active:
        errors["user"] = [_("Choose an active member.")]
    elif user is not None and user.pk == item.owner_id:
        errors["user"] = [_("The owner already has full access.")]
    raise_if(errors)
    field = "document" if isinstance(item, Document) else "folder"
    share = Share.objects.filter(**{field: item}, user=user, department=department).first()
    if share is not None and share.permission == permission:
        return share
    if share is None:
        share = Share.objects.create(**{field: item}, user=user, department=department, permission=permission,
                                     shared_by=by)
    else:
        share.permission = permission
        share.save(update_fields=["permission"])
    notify(_readers(audience(users=[user] if user else [], departments=[department] if department else [],
                             exclude=by)), kind="oa.document", title=SHARED_TITLE, link=_link(item), obj=item,
           params={"owner": item.owner, "title": str(item)})
    audit_record(actor=by, action="update", obj=item, message=f"shared with {share.target}: {permission}")
    return share


@transaction.atomic
def share_revoke(*, share: Share, by) -> None:
    item = _locked(share.item)
    _manage_only(item, by, _("Only the owner can change who has access."))
    audit_record(actor=by, action="update", obj=item, message=f"no longer shared with {share.target}")
    share.delete()
