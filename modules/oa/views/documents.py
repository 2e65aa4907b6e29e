"""Documents and folders: browse, write and edit, version history, sharing,
attachments. A document or folder the caller cannot see answers 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..forms import AttachmentForm, DocumentForm, FolderForm, ShareForm
from ..models import Folder
from ._common import PAGE_SIZE, form_page


def _folders_to_add_to(user):
    return selectors.folder_list(user=user, permission=selectors.DOCUMENT_CHANGE).order_by("name")


def _visible_folder(request, pk) -> Folder | None:
    """The folder named by ``?folder=``/``?parent=`` (None when absent); 404
    if it is not an id or not a folder the caller can see."""
    if not pk:
        return None
    try:
        uuid.UUID(pk)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(selectors.folder_list(user=request.user), pk=pk)


def _item_context(request, item) -> dict:
    return {"shares": selectors.shares_of(item=item), "can_edit": selectors.can_edit(user=request.user, item=item),
            "can_manage": selectors.can_manage(user=request.user, item=item)}


# ----------------------------------------------------------------- browse


@permission_required("oa.document.view")
def document_list(request):
    """The caller's top level (their own and what is shared with them), or
    the documents matching ``q`` in every folder they can see."""
    query = (request.GET.get("q") or "").strip()
    if query:
        folders = Folder.objects.none()
        documents = selectors.document_list(user=request.user).filter(
            Q(title__icontains=query) | Q(body__icontains=query))
    else:
        folders, documents = selectors.folder_contents(user=request.user, folder=None)
    return render(request, "oa/document_list.html", {
        "q": query, "folders": folders.order_by("name"), "can_add": access_for(request.user).can("oa.document.add"),
        "page_obj": Paginator(documents.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page")),
    })


def _folder_page(request, folder, *, share_form=None):
    """A folder's contents; a refused share shows its form errors (400)."""
    folders, documents = selectors.folder_contents(user=request.user, folder=folder)
    context = _item_context(request, folder)
    return render(request, "oa/document_list.html", {
        "folder": folder, "path": selectors.folder_path(user=request.user, folder=folder),
        "folders": folders.order_by("name"),
        "page_obj": Paginator(documents.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": context["can_edit"] and access_for(request.user).can("oa.document.add"),
        "share_form": share_form or ShareForm(), **context,
    }, status=400 if share_form is not None and share_form.errors else 200)


@permission_required("oa.document.view")
def folder_detail(request, pk):
    return _folder_page(request, get_object_or_404(selectors.folder_list(user=request.user), pk=pk))


# ---------------------------------------------------------------- folders


@permission_required("oa.document.add")
@require_http_methods(["GET", "POST"])
def folder_create(request):
    parent = _visible_folder(request, request.GET.get("parent"))
    form = FolderForm(request.POST or None, initial={"parent": parent}, folders=_folders_to_add_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            folder = services.folder_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Folder created."))
            return redirect("oa:folder-detail", pk=folder.pk)
    return form_page(request, "oa/folder_form.html", form, {"parent": parent})


@permission_required("oa.document.change")
@require_http_methods(["GET", "POST"])
def folder_edit(request, pk):
    folder = get_object_or_404(selectors.folder_list(user=request.user), pk=pk)
    form = FolderForm(request.POST or None, initial={"name": folder.name, "parent": folder.parent},
                      folders=_folders_to_add_to(request.user).exclude(pk=folder.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.folder_update(folder=folder, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Folder saved."))
            return redirect("oa:folder-detail", pk=folder.pk)
    return form_page(request, "oa/folder_form.html", form, {"folder": folder})


@permission_required("oa.document.delete")
@require_POST
def folder_delete(request, pk):
    folder = get_object_or_404(selectors.folder_list(user=request.user), pk=pk)
    try:
        services.folder_delete(folder=folder, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("oa:folder-detail", pk=folder.pk)
    messages.success(request, _("Folder deleted."))
    return redirect("oa:folder-detail", pk=folder.parent_id) if folder.parent_id else redirect("oa:document-list")


# -------------------------------------------------------------- documents


def _document_page(request, document, *, upload_form=None, share_form=None):
    """The document page; a refused upload or share shows its form errors (400)."""
    invalid = any(form is not None and form.errors for form in (upload_form, share_form))
    return render(request, "oa/document_detail.html", {
        "document": document, "attachments": document.attachments.select_related("uploaded_by"),
        "path": selectors.folder_path(user=request.user, folder=document.folder) if document.folder else [],
        "upload_form": upload_form or AttachmentForm(), "share_form": share_form or ShareForm(),
        **_item_context(request, document),
    }, status=400 if invalid else 200)


@permission_required("oa.document.view")
def document_detail(request, pk):
    return _document_page(request, get_object_or_404(selectors.document_list(user=request.user), pk=pk))


@permission_required("oa.document.add")
@require_http_methods(["GET", "POST"])
def document_create(request):
    folder = _visible_folder(request, request.GET.get("folder"))
    form = DocumentForm(request.POST or None, initial={"folder": folder}, folders=_folders_to_add_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Document saved."))
            return redirect("oa:document-detail", pk=document.pk)
    return form_page(request, "oa/document_form.html", form)


@permission_required("oa.document.change")
@require_http_methods(["GET", "POST"])
def document_edit(request, pk):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    form = DocumentForm(request.POST or None, initial={"title": document.title, "body": document.body,
                                                       "folder": document.folder},
                        folders=_folders_to_add_to(request.user))
    if not selectors.can_manage(user=request.user, item=document):
        del form.fields["folder"]  # only the owner moves it
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(document=document, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Document saved."))
            return redirect("oa:document-detail", pk=document.pk)
    return form_page(request, "oa/document_form.html", form, {"document": document})


@permission_required("oa.document.delete")
@require_POST
def document_delete(request, pk):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    try:
        services.document_delete(document=document, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("oa:document-detail", pk=document.pk)
    messages.success(request, _("Document deleted."))
    return redirect("oa:folder-detail", pk=document.folder_id) if document.folder_id else redirect("oa:document-list")


@permission_required("oa.document.change")
@require_POST
def document_attach(request, pk):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(parent=document, by=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("oa:document-detail", pk=document.pk)
    return _document_page(request, document, upload_form=form)


# --------------------------------------------------------------- versions


@permission_required("oa.document.view")
def document_versions(request, pk):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    versions = selectors.versions_of(document=document)
    return render(request, "oa/document_versions.html", {
        "document": document, "can_edit": selectors.can_edit(user=request.user, item=document),
        "page_obj": Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page")),
    })


@permission_required("oa.document.view")
def document_version(request, pk, number):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    version = get_object_or_404(selectors.versions_of(document=document), number=number)
    return render(request, "oa/document_version.html", {
        "document": document, "version": version, "can_edit": selectors.can_edit(user=request.user, item=document),
    })


@permission_required("oa.document.change")
@require_POST
def document_restore(request, pk, number):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    try:
        services.document_restore(document=document, by=request.user, number=number)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("oa:document-version", pk=document.pk, number=number)
    messages.success(request, _("Version %(n)d restored as the newest version.") % {"n": number})
    return redirect("oa:document-detail", pk=document.pk)


# ----------------------------------------------------------------- shares


def _share(request, item, page, done: str):
    """Grant the share posted in ``ShareForm``, then back to the item's page
    (``page`` shows it again with the form's errors when refused)."""
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.share_grant(item=item, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Shared."))
            return redirect(done, pk=item.pk)
    return page(request, item, share_form=form)


@permission_required("oa.document.change")
@require_POST
def document_share(request, pk):
    document = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    return _share(request, document, _document_page, "oa:document-detail")


@permission_required("oa.document.change")
@require_POST
def folder_share(request, pk):
    folder = get_object_or_404(selectors.folder_list(user=request.user), pk=pk)
    return _share(request, folder, _folder_page, "oa:folder-detail")


@permission_required("oa.document.change")
@require_POST
def share_revoke(request, pk):
    share = get_object_or_404(selectors.share_list(user=request.user), pk=pk)
    try:
        services.share_revoke(share=share, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Access removed."))
    if share.document_id:
        return redirect("oa:document-detail", pk=share.document_id)
    return redirect("oa:folder-detail", pk=share.folder_id)
