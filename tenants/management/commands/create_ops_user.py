from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.users.models import User


class Command(BaseCommand):
    help = "Create (or update the password of) a vendor ops user in the public schema."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="Weft ops")

    def handle(self, *args, email, password, name, **options):
        connection.set_schema_to_public()
        if len(password) < 10:
            raise CommandError("Use a password of at least 10 characters.")
        user, created = User.objects.get_or_create(email=email.lower(), defaults={"full_name": name, "is_staff": True})
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"Ops user {'created' if created else 'updated'}: {user.email}")
