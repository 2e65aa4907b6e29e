from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


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
                nav=(),
                objects={},
            )
        )
