from decimal import Decimal

from django.db import migrations

ALL = ["crm", "distribution", "inventory", "contracts", "service", "finance", "oa"]
PLANS = [
    ("trial", "Trial", "Every module for 14 days, up to 10 users.", ALL, 10, "0", "0", 14, 0),
    ("starter", "Starter", "CRM and office automation for small sales teams.", ["crm", "oa"], 10, "12", "120", 14, 1),
    ("business", "Business", "Adds distribution, inventory and finance.",
     ["crm", "oa", "distribution", "inventory", "finance"], 50, "29", "290", 14, 2),
    ("enterprise", "Enterprise", "Every module, unlimited users.", ALL, None, "49", "490", 30, 3),
]


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    Plan = apps.get_model("billing", "Plan")
    for code, name, desc, modules, seats, monthly, yearly, trial_days, order in PLANS:
        Plan.objects.update_or_create(
            code=code,
            defaults=dict(name=name, description=desc, modules=modules, seat_limit=seats,
                          monthly_price_per_seat=Decimal(monthly), yearly_price_per_seat=Decimal(yearly),
                          trial_days=trial_days, sort_order=order),
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
