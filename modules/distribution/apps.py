from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


class DistributionConfig(AppConfig):
    name = "modules.distribution"
    label = "distribution"
    verbose_name = _("Distribution")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="distribution",
                name=_("Distribution"),
                description=_("Dealers, price lists, orders, rebates and targets."),
                dependencies=('crm', 'inventory'),
                nav=(),
                objects={},
            )
        )
