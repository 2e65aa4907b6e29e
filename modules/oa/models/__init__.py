"""OA data. Change it through ``modules.oa.services``."""

from .announcements import Announcement, AnnouncementKind, AnnouncementReceipt
from .calendar import Event
from .meetings import InvitationResponse, Meeting, MeetingInvitation
from .messages import Message, MessageRecipient
from .requests import EDITABLE_STATES, ApprovalState, ExpenseClaim, LeaveKind, LeaveRequest
from .worklogs import WorkLog

__all__ = [
    "EDITABLE_STATES", "Announcement", "AnnouncementKind", "AnnouncementReceipt", "ApprovalState", "Event",
    "ExpenseClaim", "InvitationResponse", "LeaveKind", "LeaveRequest", "Meeting", "MeetingInvitation", "Message",
    "MessageRecipient", "WorkLog",
]
