"""Scoped reads for OA pages, API and the workbench.

- Leave requests, expense claims and work logs: role permission + data
  scope (``core.access.restrict``); "subordinates" is the manager chain.
- Calendar events: the owner's own (a calendar is personal).
- Messages: the caller's inbox rows / sent messages only.
- Announcements: those the caller received (a receipt row), wrote, or, with
  ``oa.announcement.change``, all of them (to manage them).
- Meetings: organised by, or inviting, the caller (admins see all).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from core.access import access_for, restrict

from .models import (
    Announcement, AnnouncementReceipt, Event, ExpenseClaim, LeaveRequest, Meeting, MeetingInvitation, Message,
    MessageRecipient, WorkLog,
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
    )
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
        Prefetch("invitations", queryset=MeetingInvitation.objects.select_related("user")), "departments")
    if not access.is_admin:
        meetings = meetings.filter(Q(organiser=user) | Exists(invited))
    return meetings


def invitation_of(*, user, meeting) -> MeetingInvitation | None:
    return MeetingInvitation.objects.filter(meeting=meeting, user=user).first()
