"""Every OA change (one function per use case, atomic, taking the acting
user). Web pages and the API call these."""

from .announcements import announcement_acknowledge, announcement_delete, announcement_mark_read, announcement_publish
from .events import event_create, event_delete, event_update
from .meetings import meeting_cancel, meeting_create, meeting_record_minutes, meeting_respond
from .messages import message_mark_read, message_send
from .requests import (
    expense_claim_create, expense_claim_delete, expense_claim_submit, expense_claim_update, expense_claim_withdraw,
    leave_request_create, leave_request_delete, leave_request_submit, leave_request_update, leave_request_withdraw,
)
from .worklogs import worklog_create, worklog_delete, worklog_update

__all__ = [
    "announcement_acknowledge", "announcement_delete", "announcement_mark_read", "announcement_publish",
    "event_create", "event_delete", "event_update", "expense_claim_create", "expense_claim_delete",
    "expense_claim_submit", "expense_claim_update", "expense_claim_withdraw", "leave_request_create",
    "leave_request_delete", "leave_request_submit", "leave_request_update", "leave_request_withdraw",
    "meeting_cancel", "meeting_create", "meeting_record_minutes", "meeting_respond", "message_mark_read",
    "message_send", "worklog_create", "worklog_delete", "worklog_update",
]
