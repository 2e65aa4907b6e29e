from django.core.management.base import BaseCommand

from tenants.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, seed_demo
from tenants.services import tenant_url


class Command(BaseCommand):
    help = "Create the demo workspace with realistic sample data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=300)

    def handle(self, *args, customers=300, **options):
        tenant = seed_demo(customers=customers)
        self.stdout.write(f"Demo workspace ready at {tenant_url(tenant.subdomain)} ({DEMO_ADMIN_EMAIL} / {DEMO_PASSWORD})")
