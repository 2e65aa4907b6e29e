from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


class FinanceConfig(AppConfig):
    name = "modules.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="finance",
                name=_("Finance"),
                description=_("Invoices, receipts, payments and ageing."),
                dependencies=('crm',),
                nav=(),
                objects={},
            )
        )
