"""OA pages (thin: selectors scope, services write). Anything outside the
caller's scope answers 404, like the API."""

from .announcements import (  # noqa: F401
    announcement_acknowledge, announcement_create, announcement_detail, announcement_list,
)
from .attachments import attachment_delete, attachment_download  # noqa: F401
from .calendar import calendar_view, event_create, event_delete, event_detail, event_edit  # noqa: F401
from .documents import (  # noqa: F401
    document_attach, document_create, document_delete, document_detail, document_edit, document_list,
    document_restore, document_share, document_version, document_versions, folder_create, folder_delete,
    folder_detail, folder_edit, folder_share, share_revoke,
)
from .meetings import (  # noqa: F401
    meeting_attach, meeting_cancel, meeting_create, meeting_detail, meeting_edit, meeting_list, meeting_minutes,
    meeting_respond,
)
from .messages import message_create, message_detail, message_inbox  # noqa: F401
from .requests import (  # noqa: F401
    expense_create, expense_detail, expense_edit, expense_list, expense_submit, expense_withdraw, leave_create,
    leave_detail, leave_edit, leave_list, leave_submit, leave_withdraw,
)
from .workbench import workbench, workbench_context  # noqa: F401
from .worklogs import worklog_create, worklog_detail, worklog_edit, worklog_list  # noqa: F401
