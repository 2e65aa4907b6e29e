from django.db import migrations

CRM = ["crm.customer.view", "crm.customer.add", "crm.customer.change", "crm.customer.export"]
CATALOG_VIEW = ["core.product.view", "core.category.view"]
ROLES = [
    ("Sales rep", "Works their own customers.", CRM + CATALOG_VIEW, "own"),
    ("Sales manager", "Sees and manages the team below them.", CRM + ["crm.customer.delete"] + CATALOG_VIEW,
     "subordinates"),
    ("Department head", "Sees the department and its sub-departments.", CRM + CATALOG_VIEW + ["core.user.view"],
     "department_tree"),
    ("Read only", "Views everything, changes nothing.", ["crm.customer.view"] + CATALOG_VIEW, "all"),
]


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name == "public":
        return
    Role = apps.get_model("org", "Role")
    for name, description, permissions, scope in ROLES:
        Role.objects.get_or_create(
            name=name, defaults={"description": description, "permissions": permissions, "data_scope": scope}
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
