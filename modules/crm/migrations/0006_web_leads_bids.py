import uuid
from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("crm", "0005_customer_tax_source_rating"),
        ("org", "0003_department_department_unique_root_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='crmsettings',
            name='lead_assignee',
            field=models.ForeignKey(blank=True, help_text='Leads from the public order form are assigned to this person; without one, the workspace administrators are told.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='web lead assignee'),
        ),
        migrations.CreateModel(
            name='Bid',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('tender_number', models.CharField(max_length=64, verbose_name='tender number')),
                ('tendering_party', models.CharField(max_length=200, verbose_name='tendering party')),
                ('bid_date', models.DateField(verbose_name='bid date')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='bid amount')),
                ('deposit', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, verbose_name='deposit')),
                ('currency', models.CharField(default='CNY', max_length=3, verbose_name='currency')),
                ('result', models.CharField(choices=[('pending', 'Pending'), ('won', 'Won'), ('lost', 'Lost'), ('cancelled', 'Cancelled')], default='pending', max_length=10, verbose_name='result')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('opportunity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bids', to='crm.opportunity', verbose_name='opportunity')),
            ],
            options={
                'verbose_name': 'bid',
                'verbose_name_plural': 'bids',
                'ordering': ['-bid_date', '-created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gte', 0), ('deposit__gte', 0)), name='crm_bid_amounts_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='WebLead',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('company_name', models.CharField(max_length=200, verbose_name='company')),
                ('contact_name', models.CharField(max_length=120, verbose_name='contact name')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('status', models.CharField(choices=[('new', 'New'), ('qualified', 'Qualified'), ('rejected', 'Rejected')], default='new', max_length=10, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('reject_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for rejection')),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='crm_web_leads', to=settings.AUTH_USER_MODEL, verbose_name='assignee')),
                ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='web_leads', to='crm.customer', verbose_name='customer')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='crm_web_leads', to='org.department', verbose_name='department')),
                ('opportunity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='web_leads', to='crm.opportunity', verbose_name='opportunity')),
                ('product', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='crm_web_leads', to='catalog.product', verbose_name='product of interest')),
            ],
            options={
                'verbose_name': 'web lead',
                'verbose_name_plural': 'web leads',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='crm_web_lead_status_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('reject_reason', ''), _negated=True), _connector='OR'), name='crm_web_lead_rejected_has_reason')],
            },
        ),
    ]
