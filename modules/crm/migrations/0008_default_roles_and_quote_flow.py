"""CRM permissions on the default roles, a "Customer service" role for the
web-lead queue, complaints and the knowledge base, and the default quote
approval flow: the submitter's manager, then a department head from
100,000.00 CNY. Runs in every tenant schema (and the template); skips the
public schema; adds permissions without removing any, and never overwrites
a flow or role a workspace already has."""

from decimal import Decimal

from django.db import migrations

WORK = [
    "crm.contact.view", "crm.contact.add", "crm.contact.change", "crm.contact.delete",
    "crm.opportunity.view", "crm.opportunity.add", "crm.opportunity.change", "crm.opportunity.export",
    "crm.followup.view", "crm.followup.add", "crm.followup.change", "crm.followup.delete",
    "crm.quote.view", "crm.quote.add", "crm.quote.change", "crm.quote.export",
    "crm.bid.view", "crm.bid.add", "crm.bid.change",
    "crm.competitor.view", "crm.competitor.add", "crm.competitor.change",
    "crm.complaint.view", "crm.complaint.add", "crm.complaint.change",
    "crm.article.view",
]
LEAD = [
    "crm.opportunity.delete", "crm.followup.export", "crm.quote.delete", "crm.bid.delete", "crm.bid.export",
    "crm.competitor.delete", "crm.competitor.export", "crm.complaint.export", "crm.article.add",
    "crm.article.change", "crm.lead.view", "crm.lead.change", "crm.lead.export",
]
SERVICE = [
    "crm.customer.view", "crm.customer.add", "crm.contact.view", "crm.contact.add", "crm.contact.change",
    "crm.opportunity.view", "crm.opportunity.add",
    "crm.lead.view", "crm.lead.change", "crm.lead.delete", "crm.lead.export",
    "crm.complaint.view", "crm.complaint.add", "crm.complaint.change", "crm.complaint.export",
    "crm.article.view", "crm.article.add", "crm.article.change", "crm.article.delete",
    "core.product.view", "core.category.view",
]
GRANTS = {
    "Sales rep": WORK,
    "Sales manager": WORK + LEAD,
    "Department head": WORK + LEAD,
    "Read only": sorted({code for code in WORK + LEAD + SERVICE if code.endswith(".view")}),
}


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name == "public":
        return
    Role = apps.get_model("org", "Role")
    FlowDefinition = apps.get_model("approvals", "FlowDefinition")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    FlowStep = apps.get_model("approvals", "FlowStep")

    for role in Role.objects.filter(name__in=GRANTS):
        role.permissions = list(role.permissions) + [c for c in GRANTS[role.name] if c not in role.permissions]
        role.save(update_fields=["permissions"])
    Role.objects.get_or_create(name="Customer service", defaults={
        "description": "Qualifies web leads, handles complaints, writes the knowledge base.",
        "data_scope": "all", "permissions": SERVICE,
    })

    if FlowDefinition.objects.filter(document_type="crm.quote").exists():
        return
    head = Role.objects.filter(name="Department head").first()
    definition = FlowDefinition.objects.create(document_type="crm.quote", name="Quote")
    version = FlowVersion.objects.create(flow=definition, number=1)
    FlowStep.objects.create(version=version, position=1, name="Manager", kind="single", assignee_type="manager",
                            manager_level=1)
    if head is not None:
        FlowStep.objects.create(version=version, position=2, name="Department head", kind="any_of",
                                assignee_type="role", role=head, min_amount=Decimal("100000.00"), currency="CNY")
    definition.current_version = version
    definition.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0007_competitors_feedback_knowledge"),
        ("org", "0002_default_roles"),
        ("approvals", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
