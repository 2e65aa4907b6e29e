"""Documents (文档): nested folders, documents whose every saved change is a
numbered version, and shares that give people or departments view or edit
access to one document, or to a folder and everything below it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.access import ScopeFields
from core.models import TenantModel


class Folder(TenantModel):
    """A folder of its owner; anyone with edit access may add to it."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("inside"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oa_folders",
                              verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("department"))

    data_scope = ScopeFields(owner="owner", department="department")

    class Meta:
        ordering = ["name"]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        constraints = [
            models.UniqueConstraint(Lower("name"), "parent", condition=Q(parent__isnull=False),
                                    name="oa_folder_name_unique_in_parent"),
            models.UniqueConstraint(Lower("name"), "owner", condition=Q(parent__isnull=True),
                                    name="oa_folder_name_unique_at_top"),
        ]

    def __str__(self):
        return self.name


class Document(TenantModel):
    """A document (a sales plan, a procedure...): the title and Markdown text
    of its newest version; ``version`` is that version's number."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    folder = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.PROTECT, related_name="documents",
                               verbose_name=_("folder"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oa_documents",
                              verbose_name=_("owner"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("department"))
    version = models.PositiveIntegerField(_("version"), default=1)

    data_scope = ScopeFields(owner="owner", department="department")

    class Meta:
        ordering = ["title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One saved state of a document (never changed afterwards)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("saved by"))
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="oa_document_version_once")]

    def __str__(self):
        return f"{self.title} v{self.number}"


class SharePermission(models.TextChoices):
    VIEW = "view", _("Can view")
    EDIT = "edit", _("Can edit")


class Share(models.Model):
    """Access to a document, or to a folder and everything below it, for one
    person or for the members of one department."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    folder = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("person"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("department"))
    permission = models.CharField(_("access"), max_length=8, choices=SharePermission.choices,
                                  default=SharePermission.VIEW)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("shared by"))
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.CheckConstraint(condition=Q(document__isnull=False, folder__isnull=True)
                                   | Q(document__isnull=True, folder__isnull=False), name="oa_share_one_item"),
            models.CheckConstraint(condition=Q(user__isnull=False, department__isnull=True)
                                   | Q(user__isnull=True, department__isnull=False), name="oa_share_one_target"),
            models.UniqueConstraint(fields=["document", "user"], name="oa_share_document_user_once"),
            models.UniqueConstraint(fields=["document", "department"], name="oa_share_document_department_once"),
            models.UniqueConstraint(fields=["folder", "user"], name="oa_share_folder_user_once"),
            models.UniqueConstraint(fields=["folder", "department"], name="oa_share_folder_department_once"),
        ]

    @property
    def item(self):
        return self.document or self.folder

    @property
    def target(self):
        return self.user or self.department

    def __str__(self):
        return f"{self.item} → {self.target}: {self.permission}"
