from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "core.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from core.modules import ACTIONS, registry

        # Permission codes of the platform's own objects ("core.<object>.<action>").
        registry.register_core_objects(
            {
                "user": ACTIONS,
                "department": ("view", "add", "change", "delete"),
                "role": ("view", "add", "change", "delete"),
                "product": ("view", "add", "change", "delete", "export"),
                "category": ("view", "add", "change", "delete"),
                "audit": ("view",),
            }
        )
