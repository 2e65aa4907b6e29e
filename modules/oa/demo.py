"""A small OA data set for the demo workspace: announcements (one required
reading), a meeting, work logs, a leave request waiting for the demo
administrator's approval, and the director's "Sales plans" folder with two
documents (shared with the Sales department when there is one). Called
from tenants.demo._fill()."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from core.org.models import Department
from core.users.models import User

from . import services


def seed_oa(tenant) -> None:
    """Fill ``tenant`` (already holding the demo staff) with OA records."""
    with schema_context(tenant.schema_name):
        admin = User.objects.filter(is_tenant_admin=True).order_by("date_joined").first()
        director = User.objects.filter(email="director@demo.weft.test").first()
        if admin is None or director is None:
            return
        if director.manager_id is None:  # the sales director reports to the general manager
            director.manager = admin
            director.save(update_fields=["manager"])
        managers = list(User.objects.filter(email__startswith="manager.").order_by("email"))
        reps = list(User.objects.filter(email__startswith="rep.").order_by("email"))
        today = timezone.localdate()

        services.announcement_publish(
            by=admin, kind="policy", title="Travel and expense policy 2026", requires_ack=True,
            body="Economy class for trips under 4 hours. Claims above 5,000 CNY are also approved by Finance.",
        )
        services.announcement_publish(by=admin, kind="news", title="Huadong wins the Ningbo water works tender",
                                      body="Congratulations to the East China team.")
        sales = Department.objects.filter(name="Sales").first()
        if sales is not None:
            services.announcement_publish(by=director, title="Q2 sales kick-off", to_all=False, departments=[sales],
                                          body="All sales staff: kick-off meeting next Monday.")
        start = (timezone.localtime() + timedelta(days=1)).replace(hour=9, minute=30, second=0, microsecond=0)
        services.meeting_create(by=director, title="Weekly pipeline review", starts_at=start,
                                ends_at=start + timedelta(hours=1), location="Meeting room 2",
                                agenda="1. Won and lost deals\n2. Stale opportunities\n3. Next week's visits",
                                users=managers)
        for rep in reps[:4]:
            for days_ago in (1, 2):
                services.worklog_create(by=rep, day=today - timedelta(days=days_ago),
                                        summary="Visited two customers, sent one quote.",
                                        next_plan="Follow up on the quote; call new leads.")
        leave = services.leave_request_create(by=director, kind="annual", starts_on=today + timedelta(days=7),
                                              ends_on=today + timedelta(days=9), reason="Family trip")
        services.leave_request_submit(leave=leave, by=director)
        if reps:
            claim = services.expense_claim_create(by=reps[0], title="Customer visit: train tickets",
                                                  amount="436.00", spent_on=today - timedelta(days=1))
            services.expense_claim_submit(claim=claim, by=reps[0])
        _seed_documents(director, managers, sales)


def _seed_documents(director, managers, sales) -> None:
    plans = services.folder_create(by=director, name="Sales plans")
    quarter = services.folder_create(by=director, name="2026 Q2", parent=plans)
    plan = services.document_create(
        by=director, folder=quarter, title="East China sales plan",
        body="## Targets\n\n| Region | Target (CNY) |\n|---|---|\n| Shanghai | 4,000,000 |\n| Hangzhou | 2,500,000 |"
             "\n\n## Focus\n\n- Water works tenders\n- Renewals of 2025 contracts")
    services.document_update(document=plan, by=director,
                             body=plan.body + "\n- Two new distributors in Jiangsu")
    services.document_create(by=director, folder=plans, title="Visit report template",
                             body="**Customer:**\n\n**Met:**\n\n**Next step:**")
    if sales is not None:
        services.share_grant(item=plans, by=director, department=sales, permission="view")
    for manager in managers[:1]:
        services.share_grant(item=plan, by=director, user=manager, permission="edit")
