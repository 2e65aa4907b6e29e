"""The demo workspace's data set: staff, catalog, customers, OA and a living
CRM pipeline (every stage, history for win rates, stale and planned work,
a quote waiting for approval)."""

import random

from django.db import connection
from django_tenants.utils import schema_context
from faker import Faker

from core.approvals.models import ApprovalRequest
from modules.crm.models import (
    Article, Bid, Complaint, Contact, Customer, FollowUp, Opportunity, OpportunityCompetitor, Quote, WebLead,
)
from modules.crm.demo import seed_crm
from tenants.demo import _fill


def test_demo_fill_builds_a_believable_pipeline(tenant_a):
    with schema_context(tenant_a.schema_name):
        connection.set_tenant(tenant_a)
        _fill(random.Random(7), Faker("zh_CN"), 60)
        stages = set(Opportunity.objects.values_list("stage", flat=True))
        assert stages == {"lead", "qualified", "proposal", "negotiation", "won", "lost"}
        customers = Customer.objects.filter(kind="customer")
        assert customers.exclude(tax_id="").count() == customers.count() == 60
        assert Customer.objects.filter(kind="competitor").count() == 3
        assert Contact.objects.count() >= 60
        assert FollowUp.objects.filter(next_action_on__isnull=False).exists()
        assert Opportunity.objects.filter(stale_since__isnull=False).exists()
        assert Quote.objects.filter(state="pending").count() == 1
        assert ApprovalRequest.objects.filter(document_type="crm.quote", state="pending").count() == 1
        assert WebLead.objects.filter(status="new").count() == 6
        assert OpportunityCompetitor.objects.exists() and Bid.objects.exists()
        assert set(Complaint.objects.values_list("status", flat=True)) == {"open", "in_progress", "resolved"}
        assert Article.objects.filter(is_published=True).count() == 4
        count = Opportunity.objects.count()
        seed_crm(tenant_a)  # idempotent
        assert Opportunity.objects.count() == count
