"""Install weft_clone_schema() (tenants/sql/clone_schema.sql) in the public
schema. `prepare_platform` re-installs it, so edits to the SQL file apply."""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    from tenants.provisioning import install_clone_function

    install_clone_function()


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
