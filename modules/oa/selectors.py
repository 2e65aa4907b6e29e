"""Scoped reads for OA pages, API and the workbench.

- Leave requests, expense claims and work logs: role permission + data
  scope (``core.access.restrict``); "subordinates" is the manager chain.
- Calendar events: the owner's own (a calendar is personal).
- Messages: the caller's inbox rows / sent messages only.
- Announcements: those the caller received (a receipt row), wrote, or, with
  ``oa.announcement.change``, all of them (to manage them).
- Meetings: organised by, or inviting, the caller (admins see all).
- Documents and folders: the owner, people they are shared with (directly,
  through their department, or through a folder above), owners of a folder
  above, and whoever the role's data scope reaches.
- Attachments: whoever can see the document or meeting they belong to.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.access import access_for, restrict, scope_filter

from .models import (
    Announcement, AnnouncementReceipt, Attachment, Document, DocumentVersion, Event, ExpenseClaim, Folder,
    LeaveRequest, Meeting, MeetingInvitation, Message, MessageRecipient, Share, SharePermission, WorkLog,
)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# ------------------------------------------------------------- approvals


def leave_list(*, user, permission: str = "oa.leave_request.view") -> QuerySet[LeaveRequest]:
    return restrict(LeaveRequest.objects.select_related("requester", "department"), user, permission)


def expense_list(*, user, permission: str = "oa.expense_claim.view") -> QuerySet[ExpenseClaim]:
    return restrict(ExpenseClaim.objects.select_related("claimant", "department"), user, permission)


# -------------------------------------------------------------- work logs


def worklog_list(*, user, permission: str = "oa.worklog.view") -> QuerySet[WorkLog]:
    return restrict(WorkLog.objects.select_related("author", "department"), user, permission)


# --------------------------------------------------------------- calendar


def event_list(*, user, permission: str = "oa.event.view") -> QuerySet[Event]:
    """The caller's own events (whatever their data scope: calendars are personal)."""
    if not _signed_in(user) or not access_for(user).can(permission):
        return Event.objects.none()
    return Event.objects.filter(owner=user).select_related("owner")


def events_between(*, user, start: datetime, end: datetime) -> QuerySet[Event]:
    """The caller's events overlapping [start, end)."""
    return event_list(user=user).filter(starts_at__lt=end, ends_at__gte=start).order_by("starts_at")


# --------------------------------------------------------------- messages


def inbox(*, user) -> QuerySet[MessageRecipient]:
    if not _signed_in(user) or not access_for(user).can("oa.message.view"):
        return MessageRecipient.objects.none()
    return (MessageRecipient.objects.filter(user=user)
            .select_related("message__sender").order_by("-message__sent_at", "id"))


def sent(*, user) -> QuerySet[Message]:
    if not _signed_in(user) or not access_for(user).can("oa.message.view"):
        return Message.objects.none()
    return (Message.objects.filter(sender=user).select_related("sender")
            .prefetch_related(Prefetch("recipients", queryset=MessageRecipient.objects.select_related("user")),
                              "departments"))


def message_list(*, user) -> QuerySet[Message]:
    """Messages the caller sent or received (history, search)."""
    if not _signed_in(user) or not access_for(user).can("oa.message.view"):
        return Message.objects.none()
    received = MessageRecipient.objects.filter(message=OuterRef("pk"), user=user)
    return (Message.objects.filter(Q(sender=user) | Exists(received)).select_related("sender")
            .prefetch_related(Prefetch("recipients", queryset=MessageRecipient.objects.select_related("user")),
                              "departments"))


def unread_message_count(*, user) -> int:
    return inbox(user=user).filter(read_at__isnull=True).count()


# ---------------------------------------------------------- announcements


def announcement_list(*, user) -> QuerySet[Announcement]:
    access = access_for(user)
    if not _signed_in(user) or not access.can("oa.announcement.view"):
        return Announcement.objects.none()
    mine = AnnouncementReceipt.objects.filter(announcement=OuterRef("pk"), user=user)
    announcements = Announcement.objects.select_related("author").prefetch_related("departments").annotate(
        readers=Count("receipts"), read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
        acknowledged_count=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
    ).order_by("-published_at", "pk")  # an aggregate drops Meta.ordering; pages need a stable order
    if not access.can("oa.announcement.change"):
        announcements = announcements.filter(Q(author=user) | Exists(mine))
    return announcements


def receipt_of(*, user, announcement) -> AnnouncementReceipt | None:
    return AnnouncementReceipt.objects.filter(announcement=announcement, user=user).first()


def receipts_of(*, announcement) -> QuerySet[AnnouncementReceipt]:
    return announcement.receipts.select_related("user").order_by("user__full_name", "user__email")


def unread_announcements(*, user) -> QuerySet[AnnouncementReceipt]:
    return (AnnouncementReceipt.objects.filter(user=user).filter(
        Q(read_at__isnull=True) | Q(announcement__requires_ack=True, acknowledged_at__isnull=True))
        .select_related("announcement"))


# --------------------------------------------------------------- meetings


def meeting_list(*, user) -> QuerySet[Meeting]:
    access = access_for(user)
    if not _signed_in(user) or not access.can("oa.meeting.view"):
        return Meeting.objects.none()
    invited = MeetingInvitation.objects.filter(meeting=OuterRef("pk"), user=user)
    meetings = Meeting.objects.select_related("organiser").prefetch_related(
        Prefetch("invitations", queryset=MeetingInvitation.objects.select_related("user")), "departments",
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")))
    if not access.is_admin:
        meetings = meetings.filter(Q(organiser=user) | Exists(invited))
    return meetings


def invitation_of(*, user, meeting) -> MeetingInvitation | None:
    return MeetingInvitation.objects.filter(meeting=meeting, user=user).first()


# -------------------------------------------------------------- documents

DOCUMENT_VIEW = "oa.document.view"
DOCUMENT_CHANGE = "oa.document.change"

# Folders the user owns or that are shared with them (or their department) at
# one of the given levels, and every folder below those. Table names come from
# the models, never from input.
GRANTED_FOLDER_IDS_SQL = (
    "WITH RECURSIVE granted AS ("
    f" SELECT f.id FROM {Folder._meta.db_table} f WHERE f.owner_id = %s OR EXISTS ("
    f"  SELECT 1 FROM {Share._meta.db_table} s WHERE s.folder_id = f.id AND s.permission = ANY(%s)"
    "   AND (s.user_id = %s OR s.department_id = %s))"
    f" UNION SELECT c.id FROM {Folder._meta.db_table} c JOIN granted g ON c.parent_id = g.id"
    ") SELECT id FROM granted"
)
FOLDER_AND_ABOVE_IDS_SQL = (
    "WITH RECURSIVE up AS ("
    f" SELECT id, parent_id FROM {Folder._meta.db_table} WHERE id = %s"
    f" UNION SELECT f.id, f.parent_id FROM {Folder._meta.db_table} f JOIN up ON f.id = up.parent_id"
    ") SELECT id FROM up"
)


def _share_levels(permission: str) -> list[str]:
    """Share permissions that grant ``permission`` (editing needs an edit share)."""
    if permission == DOCUMENT_CHANGE:
        return [SharePermission.EDIT.value]
    return [SharePermission.VIEW.value, SharePermission.EDIT.value]


def _granted_folder_ids(user, permission: str) -> RawSQL:
    return RawSQL(GRANTED_FOLDER_IDS_SQL, [user.pk, _share_levels(permission), user.pk, user.department_id])


def folder_list(*, user, permission: str = DOCUMENT_VIEW) -> QuerySet[Folder]:
    """Folders the caller may see (``oa.document.view``) or add to and edit
    (``oa.document.change``, where only edit shares count): their own, those
    shared with them or their department and everything below those, plus
    the folders their role's data scope reaches."""
    if not _signed_in(user) or not access_for(user).can(permission):
        return Folder.objects.none()
    folders = Folder.objects.select_related("owner", "parent")
    scope = scope_filter(user, Folder)
    if scope is None:
        return folders
    return folders.filter(scope | Q(pk__in=_granted_folder_ids(user, permission)))


def document_list(*, user, permission: str = DOCUMENT_VIEW) -> QuerySet[Document]:
    """Documents the caller may see or edit: the same rules as
    :func:`folder_list`, plus documents shared with them one by one."""
    if not _signed_in(user) or not access_for(user).can(permission):
        return Document.objects.none()
    documents = Document.objects.select_related("owner", "folder")
    scope = scope_filter(user, Document)
    if scope is None:
        return documents
    target = Q(user=user) | (Q(department_id=user.department_id) if user.department_id else Q(pk__in=[]))
    shared = Share.objects.filter(target, document=OuterRef("pk"), permission__in=_share_levels(permission))
    return documents.filter(scope | Q(owner=user) | Q(folder_id__in=_granted_folder_ids(user, permission))
                            | Exists(shared))


def _shares_prefetch() -> Prefetch:
    return Prefetch("shares", queryset=Share.objects.select_related("user", "department"))


def with_folder_details(folders: QuerySet[Folder]) -> QuerySet[Folder]:
    """``folders`` with their shares prefetched (API)."""
    return folders.prefetch_related(_shares_prefetch())


def with_document_details(documents: QuerySet[Document]) -> QuerySet[Document]:
    """``documents`` with their shares and attachments prefetched (API)."""
    return documents.prefetch_related(
        _shares_prefetch(), Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")))


def can_edit(*, user, item: Document | Folder) -> bool:
    lister = document_list if isinstance(item, Document) else folder_list
    return lister(user=user, permission=DOCUMENT_CHANGE).filter(pk=item.pk).exists()


def can_manage(*, user, item: Document | Folder) -> bool:
    """Moving, sharing and deleting belong to the owner (and tenant admins)."""
    return item.owner_id == user.pk or access_for(user).is_admin


def folder_contents(*, user, folder: Folder | None) -> tuple[QuerySet[Folder], QuerySet[Document]]:
    """The folders and documents directly in ``folder``. At the top level
    (None): those without a folder, or whose folder the caller cannot see
    (a subfolder shared on its own shows at their top level)."""
    folders, documents = folder_list(user=user), document_list(user=user)
    if folder is not None:
        return folders.filter(parent=folder), documents.filter(folder=folder)
    visible = folder_list(user=user).values("pk")
    return (folders.filter(Q(parent__isnull=True) | ~Q(parent_id__in=visible)),
            documents.filter(Q(folder__isnull=True) | ~Q(folder_id__in=visible)))


def folder_path(*, user, folder: Folder) -> list[Folder]:
    """``folder`` and the folders above it that the caller can see, top
    first (the path stops below the first folder they cannot see)."""
    above = {f.pk: f for f in folder_list(user=user).filter(pk__in=RawSQL(FOLDER_AND_ABOVE_IDS_SQL, [folder.pk]))}
    path = [folder]
    while path[-1].parent_id in above and len(path) <= len(above):
        path.append(above[path[-1].parent_id])
    return path[::-1]


def versions_of(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("author").order_by("-number")


def shares_of(*, item: Document | Folder) -> QuerySet[Share]:
    return item.shares.select_related("user", "department").order_by("created_at")


def share_list(*, user) -> QuerySet[Share]:
    """Shares of the documents and folders the caller can see."""
    return (Share.objects.filter(Q(document__in=document_list(user=user).values("pk"))
                                 | Q(folder__in=folder_list(user=user).values("pk")))
            .select_related("user", "department", "document", "folder"))


# ------------------------------------------------------------ attachments


def attachment_list(*, user) -> QuerySet[Attachment]:
    """Files of the documents and meetings the caller can see."""
    parents = Q(pk__in=[])
    if access_for(user).can(DOCUMENT_VIEW):
        parents |= Q(document__in=document_list(user=user).values("pk"))
    if access_for(user).can("oa.meeting.view"):
        parents |= Q(meeting__in=meeting_list(user=user).values("pk"))
    return Attachment.objects.filter(parents).select_related("uploaded_by", "document", "meeting")
