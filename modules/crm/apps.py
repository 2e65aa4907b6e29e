from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ACTIONS, ModuleSpec, NavItem, registry


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
                nav=(NavItem(_("Customers"), "crm:customer-list", "crm.customer.view"),),
                objects={"customer": ACTIONS},
            )
        )
