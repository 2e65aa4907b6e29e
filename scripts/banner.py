"""Printed by `make run` once everything is up."""

import os

from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django  # noqa: E402

django.setup()

from tenants.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, OPS_EMAIL, OPS_PASSWORD, STAFF_PASSWORD  # noqa: E402
from tenants.services import tenant_url  # noqa: E402

root = tenant_url("x").replace("x.", "", 1)
print(f"""
  Weft is running.
    Public site (plans, signup) : {root}/
    Demo workspace              : {tenant_url('demo')}/
      tenant admin              : {DEMO_ADMIN_EMAIL} / {DEMO_PASSWORD}
      sales rep                 : rep.shanghai1@demo.weft.test / {STAFF_PASSWORD}
    Ops console                 : {root}/ops/  ({OPS_EMAIL} / {OPS_PASSWORD})
    API docs (demo)             : {tenant_url('demo')}/api/docs/
    Health                      : {tenant_url('demo')}/healthz
  Celery worker and beat log to var/log/. Press Ctrl-C to stop.
  (root domain: {settings.ROOT_DOMAIN})
""")
