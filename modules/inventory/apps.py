from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


class InventoryConfig(AppConfig):
    name = "modules.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="inventory",
                name=_("Inventory"),
                description=_("Warehouses, stock moves, stocktakes and safety stock."),
                dependencies=(),
                nav=(),
                objects={},
            )
        )
