from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, NavItem, registry

CRUD = ("view", "add", "change", "delete")


class OaConfig(AppConfig):
    name = "modules.oa"
    label = "oa"
    verbose_name = _("OA")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="oa",
                name=_("OA"),
                description=_("Workbench, calendar, messages, announcements and documents."),
                dependencies=(),
                nav=(
                    NavItem(_("Calendar"), "oa:calendar", "oa.event.view"),
                    NavItem(_("Work logs"), "oa:worklog-list", "oa.worklog.view"),
                    NavItem(_("Messages"), "oa:message-inbox", "oa.message.view"),
                    NavItem(_("Announcements"), "oa:announcement-list", "oa.announcement.view"),
                    NavItem(_("Meetings"), "oa:meeting-list", "oa.meeting.view"),
                    NavItem(_("Documents"), "oa:document-list", "oa.document.view"),
                    NavItem(_("Leave requests"), "oa:leave-list", "oa.leave_request.view"),
                    NavItem(_("Expense claims"), "oa:expense-list", "oa.expense_claim.view"),
                ),
                objects={
                    "event": CRUD,
                    "worklog": CRUD,
                    "message": ("view", "add"),
                    "announcement": CRUD,
                    "meeting": CRUD,
                    "document": CRUD,
                    "leave_request": CRUD,
                    "expense_claim": CRUD,
                },
            )
        )
        from core.notifications.kinds import NotificationKind, kinds

        kinds.register(NotificationKind("oa.message", _("Internal messages"), _("A colleague sent you a message.")))
        kinds.register(NotificationKind("oa.announcement", _("Announcements"),
                                        _("A new announcement, news item or policy for you."), email_default=False))
        kinds.register(NotificationKind("oa.meeting", _("Meeting invitations"),
                                        _("You are invited to a meeting, or a meeting changed.")))
        kinds.register(NotificationKind("oa.meeting_reminder", _("Meeting reminders"),
                                        _("A meeting you attend starts soon.")))
        kinds.register(NotificationKind("oa.document", _("Shared documents"),
                                        _("A colleague shared a document or a folder with you."),
                                        email_default=False))

        from .services.requests import register_document_types

        register_document_types()
