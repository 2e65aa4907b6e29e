"""OA data. Change it through ``modules.oa.services``."""

from .announcements import Announcement, AnnouncementKind, AnnouncementReceipt
from .attachments import Attachment
from .calendar import Event
from .documents import Document, DocumentVersion, Folder, Share, SharePermission
from .meetings import InvitationResponse, Meeting, MeetingInvitation
from .messages import Message, MessageRecipient
from .requests import EDITABLE_STATES, ApprovalState, ExpenseClaim, LeaveKind, LeaveRequest
from .worklogs import WorkLog

__all__ = [
    "EDITABLE_STATES", "Announcement", "AnnouncementKind", "AnnouncementReceipt", "ApprovalState", "Attachment",
    "Document", "DocumentVersion", "Event", "ExpenseClaim", "Folder", "InvitationResponse", "LeaveKind",
    "LeaveRequest", "Meeting", "MeetingInvitation", "Message", "MessageRecipient", "Share", "SharePermission",
    "WorkLog",
]
