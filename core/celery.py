"""Celery app whose tasks run in the schema they were queued from
(tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

app = CeleryApp("weft")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(lambda: ["tenants", "core.users", "billing", "modules.crm"])
