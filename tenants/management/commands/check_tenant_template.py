from django.core.management.base import BaseCommand, CommandError

from tenants.models import Tenant, TenantKind
from tenants.provisioning import template_lag, template_schema


class Command(BaseCommand):
    help = "Fail if the tenant template (or a spare schema) lags behind the migrations on disk."

    def handle(self, *args, **options):
        schemas = [template_schema()] + list(
            Tenant.objects.filter(kind=TenantKind.SPARE).values_list("schema_name", flat=True)
        )
        problems = {schema: lag for schema in schemas if (lag := template_lag(schema))}
        if problems:
            lines = [f"{schema}: missing {', '.join(lag)}" for schema, lag in problems.items()]
            raise CommandError(
                "Tenant template is stale; run `manage.py migrate_schemas`.\n" + "\n".join(lines)
            )
        self.stdout.write(f"Tenant template current ({len(schemas)} schema(s) checked).")
