"""Install django-tenants' clone_schema() SQL function in the public schema
once, instead of recreating it on every clone."""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    from django_tenants.clone import CloneSchema

    CloneSchema()._create_clone_schema_function()


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
