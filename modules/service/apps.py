from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import ModuleSpec, registry


class ServiceConfig(AppConfig):
    name = "modules.service"
    label = "service"
    verbose_name = _("Service")

    def ready(self):
        registry.register(
            ModuleSpec(
                key="service",
                name=_("Service"),
                description=_("Service requests, dispatch and completion reports."),
                dependencies=('crm',),
                nav=(),
                objects={},
            )
        )
