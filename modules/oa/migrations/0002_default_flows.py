"""Default approval flows for leave requests and expense claims, the
"Finance" role they use, and OA permissions on the default roles.

Leave: the submitter's direct manager. Expense: the direct manager, then
the "Finance" role from 5,000.00 CNY. Runs in every tenant schema (and the
template that new workspaces are cloned from); skips the public schema and
never overwrites a flow a workspace already has."""

from decimal import Decimal

from django.db import migrations

OA_BASIC = [
    "oa.event.view", "oa.event.add", "oa.event.change", "oa.event.delete",
    "oa.worklog.view", "oa.worklog.add", "oa.worklog.change", "oa.worklog.delete",
    "oa.message.view", "oa.message.add",
    "oa.announcement.view",
    "oa.meeting.view", "oa.meeting.add", "oa.meeting.change",
    "oa.leave_request.view", "oa.leave_request.add", "oa.leave_request.change", "oa.leave_request.delete",
    "oa.expense_claim.view", "oa.expense_claim.add", "oa.expense_claim.change", "oa.expense_claim.delete",
]
DEFAULT_ROLES = ("Sales rep", "Sales manager", "Department head", "Read only")
READ_ONLY = [code for code in OA_BASIC if code.endswith(".view")]


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name == "public":
        return
    Role = apps.get_model("org", "Role")
    FlowDefinition = apps.get_model("approvals", "FlowDefinition")
    FlowVersion = apps.get_model("approvals", "FlowVersion")
    FlowStep = apps.get_model("approvals", "FlowStep")

    for role in Role.objects.filter(name__in=DEFAULT_ROLES):
        extra = READ_ONLY if role.name == "Read only" else OA_BASIC
        role.permissions = list(role.permissions) + [code for code in extra if code not in role.permissions]
        role.save(update_fields=["permissions"])

    finance, _created = Role.objects.get_or_create(
        name="Finance",
        defaults={"description": "Approves larger expense claims.", "data_scope": "all",
                  "permissions": OA_BASIC},
    )

    def flow(document_type, name, steps):
        if FlowDefinition.objects.filter(document_type=document_type).exists():
            return
        definition = FlowDefinition.objects.create(document_type=document_type, name=name)
        version = FlowVersion.objects.create(flow=definition, number=1)
        for position, step in enumerate(steps, start=1):
            FlowStep.objects.create(version=version, position=position, **step)
        definition.current_version = version
        definition.save(update_fields=["current_version"])

    manager = {"name": "Manager", "kind": "single", "assignee_type": "manager", "manager_level": 1}
    flow("oa.leave_request", "Leave request", [manager])
    flow("oa.expense_claim", "Expense claim", [
        manager,
        {"name": "Finance", "kind": "any_of", "assignee_type": "role", "role": finance,
         "min_amount": Decimal("5000.00"), "currency": "CNY"},
    ])


class Migration(migrations.Migration):
    dependencies = [
        ("oa", "0001_initial"),
        ("org", "0002_default_roles"),
        ("approvals", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
