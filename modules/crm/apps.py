from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ACTIONS, ModuleSpec, NavItem, registry

CRUD = ("view", "add", "change", "delete", "export")


class CrmConfig(AppConfig):
    name = "modules.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="crm",
                name=_("CRM"),
                description=_("Customers, opportunities, quotes, follow-ups and leads."),
                dependencies=(),
                nav=(
                    NavItem(_("Customers"), "crm:customer-list", "crm.customer.view"),
                    NavItem(_("Opportunities"), "crm:opportunity-list", "crm.opportunity.view"),
                    NavItem(_("Follow-ups"), "crm:followup-list", "crm.followup.view"),
                    NavItem(_("Reassign customers"), "crm:reassignment-list", "crm.customer.change"),
                ),
                objects={
                    "customer": ACTIONS,
                    "contact": CRUD,
                    "opportunity": CRUD,
                    "followup": CRUD,
                },
            )
        )
        from core.notifications.kinds import NotificationKind, kinds

        kinds.register(NotificationKind(
            "crm.follow_up", _("Follow-up reminders"), _("The next action of a follow-up on your customer is due."),
        ))
