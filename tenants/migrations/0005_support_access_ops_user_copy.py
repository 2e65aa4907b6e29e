from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenants", "0004_tenant_grace_ends_at")]

    operations = [
        migrations.AddField(
            model_name="supportaccess", name="ops_user_email", field=models.EmailField(max_length=254, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="supportaccess", name="ops_user_name", field=models.CharField(max_length=150, default=""),
            preserve_default=False,
        ),
    ]
