from django.core.management.base import BaseCommand

from tenants.platform import prepare_platform


class Command(BaseCommand):
    help = "Create the public tenant, the tenant template schema and the spare schema pool (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--pool-size", type=int, default=None)

    def handle(self, *args, pool_size=None, **options):
        result = prepare_platform(pool_size)
        self.stdout.write(f"Platform ready: template current, {result['spares']} spare schema(s) in the pool.")
