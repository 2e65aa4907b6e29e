from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crm", "0005_customer_tax_source_rating")]

    operations = []
