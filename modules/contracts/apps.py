from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


class ContractsConfig(AppConfig):
    name = "modules.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="contracts",
                name=_("Contracts"),
                description=_("Contracts, settlement plans and milestones."),
                dependencies=('crm',),
                nav=(),
                objects={},
            )
        )
