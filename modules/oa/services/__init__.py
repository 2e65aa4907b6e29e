"""Every OA change (one function per use case, atomic, taking the acting
user). Web pages and the API call these."""

from .announcements import announcement_acknowledge, announcement_delete, announcement_mark_read, announcement_publish
from .attachments import attachment_add, attachment_delete
from .documents import (
    document_create, document_delete, document_restore, document_update, folder_create, folder_delete, folder_update,
    share_grant, share_revoke,
)
from .events import event_create, event_delete, event_update
from .meetings import meeting_cancel, meeting_create, meeting_record_minutes, meeting_respond, meeting_update
from .messages import message_mark_read, message_send
from .requests import (
    expense_claim_create, expense_claim_delete, expense_claim_submit, expense_claim_update, expense_claim_withdraw,
    leave_request_create, leave_request_delete, leave_request_submit, leave_request_update, leave_request_withdraw,
)
from .worklogs import worklog_create, worklog_delete, worklog_update

__all__ = [
    "announcement_acknowledge", "announcement_delete", "announcement_mark_read", "announcement_publish",
    "attachment_add", "attachment_delete", "document_create", "document_delete", "document_restore",
    "document_update", "event_create", "event_delete", "event_update", "expense_claim_create",
    "expense_claim_delete", "expense_claim_submit", "expense_claim_update", "expense_claim_withdraw",
    "folder_create", "folder_delete", "folder_update", "leave_request_create", "leave_request_delete",
    "leave_request_submit", "leave_request_update", "leave_request_withdraw", "meeting_cancel", "meeting_create",
    "meeting_record_minutes", "meeting_respond", "meeting_update", "message_mark_read", "message_send",
    "share_grant", "share_revoke", "worklog_create", "worklog_delete", "worklog_update",
]
