from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "core.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self):
        from core.modules import registry
        from core.notifications.kinds import NotificationKind, kinds

        # "core.approval_flow.<action>": who may manage approval flows (tenant admins always may).
        registry.register_core_objects({"approval_flow": ("view", "add", "change", "delete")})
        for kind in (
            NotificationKind("approval.pending", _("Approvals waiting for me"),
                             _("A document reaches a step you approve (or approve on someone's behalf).")),
            NotificationKind("approval.urge", _("Urged approvals"),
                             _("A submitter asks you to look at a waiting approval.")),
            NotificationKind("approval.reminder", _("Approvals waiting too long"),
                             _("An approval of yours has been waiting longer than the workspace allows.")),
            NotificationKind("approval.result", _("Decisions on my submissions"),
                             _("Something you submitted is approved, rejected or returned for edit.")),
        ):
            kinds.register(kind)
