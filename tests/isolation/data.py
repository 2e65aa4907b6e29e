"""Rows planted in one tenant so isolation tests can look for them elsewhere.
Every name carries MARKER; every id is collected."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django_tenants.utils import schema_context

MARKER = "alpha-secret"


def plant(tenant, admin) -> dict:
    """Create one row of each tenant record type in ``tenant``; returns
    ``{"ids": [...], "markers": [...]}``."""
    from core.audit.services import audit_record
    from core.catalog.models import Category, Product
    from core.org.models import Department, Role
    from core.users.models import User
    from core.users.services import token_create
    from modules.crm.models import Customer

    tag = f"{MARKER}-{uuid.uuid4().hex[:8]}"
    with schema_context(tenant.schema_name):
        department = Department.objects.create(name=f"{tag} department")
        role = Role.objects.create(name=f"{tag} role", permissions=["crm.customer.view"])
        user = User.objects.create_user(f"{tag}@alpha.test", "Alpha-pass-2026", full_name=f"{tag} person",
                                        department=department)
        user.roles.add(role)
        token, _clear = token_create(user=admin, name=f"{tag} token")
        category = Category.objects.create(name=f"{tag} category")
        product = Product.objects.create(sku=f"{tag}-sku", name=f"{tag} product", category=category,
                                         list_price=Decimal("10.00"))
        customer = Customer.objects.create(name=f"{tag} customer", owner=user, department=department)
        entry = audit_record(actor=admin, action="create", obj=customer, message=f"{tag} audit")
        ids = [str(o.pk) for o in (department, role, user, token, category, product, customer, entry)]
        ids += _plant_approvals_and_notifications(tag, admin, user, role, product)
        ids += _plant_crm(tag, admin, user, customer)
        ids += _plant_crm_leads_bids(tag, user, customer, product)
        ids += _plant_crm_competitors_feedback_knowledge(tag, user, customer, product)
        ids += _plant_oa(tag, admin, user, department)
    _plant_billing(tenant, tag)
    return {"ids": ids, "markers": [tag]}


def tenant_models():
    """Models whose tables live in tenant schemas (our own apps only)."""
    labels = {app.split(".")[-1] for app in settings.TENANT_APPS if not app.startswith("django.")}
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def _plant_approvals_and_notifications(tag, admin, user, role, product) -> list[str]:
    """One row of each core.approvals / core.notifications model (inside the
    tenant's schema). ApprovalSettings has an integer key: planted, not listed."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.approvals.models import (
        ApprovalRequest, ApprovalSettings, Assignment, Decision, Delegation, FlowDefinition, FlowStep, FlowVersion,
        StepInstance,
    )
    from core.notifications.models import Notification, NotificationPreference, Reminder

    now = timezone.now()
    flow = FlowDefinition.objects.create(document_type=f"{tag}.type", name=f"{tag} flow")
    version = FlowVersion.objects.create(flow=flow, number=1, created_by=admin)
    flow.current_version = version
    flow.save()
    flow_step = FlowStep.objects.create(version=version, position=1, name=f"{tag} step", assignee_type="role",
                                        role=role)
    request = ApprovalRequest.objects.create(
        document_type=f"{tag}.type", content_type=ContentType.objects.get_for_model(product), object_id=product.pk,
        title=f"{tag} request", flow_version=version, submitter=admin, amount=Decimal("10.00"), currency="CNY",
    )
    step = StepInstance.objects.create(request=request, position=1, flow_step=flow_step, name=f"{tag} step",
                                       kind="single", state="active")
    request.current_step = step
    request.save()
    assignment = Assignment.objects.create(step=step, user=user, comment=f"{tag} assignment")
    decision = Decision.objects.create(request=request, seq=1, actor=admin, action="submit", comment=f"{tag} decision")
    delegation = Delegation.objects.create(from_user=user, to_user=admin, starts_at=now - timedelta(hours=1),
                                           ends_at=now + timedelta(days=1), note=f"{tag} delegation")
    ApprovalSettings.objects.get_or_create(key="default")
    notification = Notification.objects.create(recipient=admin, kind="approval.pending", title=f"{tag} notification",
                                               link=f"/approvals/{request.pk}/")
    preference = NotificationPreference.objects.create(user=admin, kind="approval.pending", channel="email",
                                                       enabled=False)
    reminder = Reminder.objects.create(user=admin, content_type=ContentType.objects.get_for_model(request),
                                       object_id=str(request.pk), message=f"{tag} reminder", due_at=now)
    return [str(o.pk) for o in (flow, version, flow_step, request, step, assignment, decision, delegation,
                                notification, preference, reminder)]


def _plant_billing(tenant, tag) -> None:
    """The tenant's subscription and a Stripe event (public schema, integer
    keys: found by the marker in their Stripe ids, not listed as ids)."""
    from django.utils import timezone

    from billing.models import Plan, StripeEvent, Subscription

    Subscription.objects.update_or_create(tenant=tenant, defaults={
        "plan": Plan.objects.get(code="enterprise"), "stripe_customer_id": f"cus_{tag}",
        "stripe_subscription_id": f"sub_{tag}", "stripe_item_id": f"si_{tag}", "status": "active", "seats": 3,
    })
    StripeEvent.objects.create(event_id=f"evt_{tag}", type="invoice.paid", tenant=tenant,
                               stripe_created_at=timezone.now(), processed_at=timezone.now(),
                               payload={"id": f"evt_{tag}", "data": {"object": {"customer": f"cus_{tag}"}}})


def _plant_crm(tag, admin, user, customer) -> list[str]:
    """One row of each CRM pipeline model (contacts, opportunities, follow-ups,
    owner changes, reassignment jobs). CrmSettings has an integer key: planted, not listed."""
    from django.utils import timezone

    from modules.crm.models import Contact, CrmSettings, FollowUp, Opportunity, OwnerChange, ReassignmentJob

    contact = Contact.objects.create(customer=customer, name=f"{tag} contact", email=f"{tag}@contact.test")
    opportunity = Opportunity.objects.create(customer=customer, project=f"{tag} project", owner=user)
    follow_up = FollowUp.objects.create(customer=customer, opportunity=opportunity, summary=f"{tag} follow-up",
                                        happened_at=timezone.now(), author=user)
    job = ReassignmentJob.objects.create(by=admin, to_owner=user, reason=f"{tag} reassignment",
                                         customer_ids=[str(customer.pk)], total=1)
    change = OwnerChange.objects.create(customer=customer, opportunity=opportunity, from_owner=admin, to_owner=user,
                                        by=admin, reason=f"{tag} owner change", job=job)
    CrmSettings.objects.get_or_create(key="default")
    from core.catalog.models import Product
    from modules.crm.models import Quote, QuoteLine

    quote = Quote.objects.create(number=f"Q-{tag}"[:32], customer=customer, opportunity=opportunity,
                                 title=f"{tag} quote", owner=user, department=user.department,
                                 subtotal=Decimal("10.00"), total=Decimal("10.00"))
    quote_line = QuoteLine.objects.create(quote=quote, position=1, product=Product.objects.get(sku=f"{tag}-sku"),
                                          description=f"{tag} quote line", quantity=Decimal("1"),
                                          unit_price=Decimal("10.00"), net=Decimal("10.00"), tax=Decimal("0"),
                                          total=Decimal("10.00"))
    return [str(o.pk) for o in (contact, opportunity, follow_up, job, change, quote, quote_line)]


def _plant_oa(tag, admin, user, department) -> list[str]:
    """One row of each OA model (leave, expense, work log, event, message,
    announcement, meeting and their recipient/receipt/invitation rows;
    folder, document, version, share and attachments of both kinds — the
    attachment rows name files that are never written: B must get 404 before
    any file is opened)."""
    from datetime import date, timedelta

    from django.db import connection
    from django.utils import timezone

    from modules.oa.models import (
        Announcement, AnnouncementReceipt, Attachment, Document, DocumentVersion, Event, ExpenseClaim, Folder,
        LeaveRequest, Meeting, MeetingInvitation, Message, MessageRecipient, Share, WorkLog,
    )

    now = timezone.now()
    leave = LeaveRequest.objects.create(requester=user, department=department, starts_on=date(2026, 3, 2),
                                        ends_on=date(2026, 3, 2), days=Decimal("1.0"), reason=f"{tag} leave")
    claim = ExpenseClaim.objects.create(claimant=user, department=department, title=f"{tag} expense",
                                        amount=Decimal("10.00"), spent_on=date(2026, 3, 1))
    log = WorkLog.objects.create(author=user, department=department, day=date(2026, 3, 2), summary=f"{tag} log")
    event = Event.objects.create(owner=admin, title=f"{tag} event", starts_at=now, ends_at=now)
    message = Message.objects.create(sender=admin, subject=f"{tag} message", body=f"{tag} body", sent_at=now)
    message.departments.add(department)
    recipient = MessageRecipient.objects.create(message=message, user=user)
    announcement = Announcement.objects.create(title=f"{tag} announcement", body=f"{tag} text", author=admin,
                                               published_at=now)
    receipt = AnnouncementReceipt.objects.create(announcement=announcement, user=admin)
    meeting = Meeting.objects.create(organiser=admin, title=f"{tag} meeting", starts_at=now + timedelta(days=1),
                                     ends_at=now + timedelta(days=1, hours=1), agenda=f"{tag} agenda")
    invitation = MeetingInvitation.objects.create(meeting=meeting, user=user)
    folder = Folder.objects.create(name=f"{tag} folder", owner=user, department=department)
    document = Document.objects.create(title=f"{tag} document", body=f"{tag} text", folder=folder, owner=user,
                                       department=department)
    version = DocumentVersion.objects.create(document=document, number=1, title=document.title, body=document.body,
                                             author=user)
    share = Share.objects.create(folder=folder, department=department, permission="edit", shared_by=user)
    files = [Attachment.objects.create(name=f"{tag} file.txt", size=1, uploaded_by=user,
                                       file=f"{connection.schema_name}/oa/00/{tag}-{parent}", **{parent: row})
             for parent, row in (("document", document), ("meeting", meeting))]
    return [str(o.pk) for o in (leave, claim, log, event, message, recipient, announcement, receipt, meeting,
                                invitation, folder, document, version, share, *files)]


def _plant_crm_leads_bids(tag, user, customer, product) -> list[str]:
    """A web lead (assigned to ``user``, qualified into ``customer``) and a bid
    on the customer's planted opportunity; CrmSettings points at ``user``."""
    from datetime import date

    from modules.crm.models import Bid, CrmSettings, Opportunity, WebLead

    CrmSettings.objects.update_or_create(key="default", defaults={"lead_assignee": user})
    opportunity = Opportunity.objects.get(customer=customer, project=f"{tag} project")
    lead = WebLead.objects.create(company_name=f"{tag} lead company", contact_name=f"{tag} lead contact",
                                  email=f"{tag}@lead.test", product=product, message=f"{tag} enquiry",
                                  assignee=user, department=user.department, status="qualified",
                                  customer=customer, opportunity=opportunity)
    bid = Bid.objects.create(opportunity=opportunity, tender_number=f"T-{tag}"[:64], tendering_party=f"{tag} party",
                             bid_date=date(2026, 3, 1), amount=Decimal("100.00"), notes=f"{tag} bid")
    return [str(lead.pk), str(bid.pk)]


def _plant_crm_competitors_feedback_knowledge(tag, user, customer, product) -> list[str]:
    """A competitor with a product matched to ``product`` and on the planted
    opportunity, a complaint on ``customer``, a knowledge category and a
    published article."""
    from django.utils import timezone

    from modules.crm.models import (
        Article, ArticleCategory, CompetitorProduct, Complaint, Customer, Opportunity, OpportunityCompetitor,
    )

    opportunity = Opportunity.objects.get(customer=customer, project=f"{tag} project")
    competitor = Customer.objects.create(name=f"{tag} competitor", kind=Customer.Kind.COMPETITOR, owner=user,
                                         department=user.department)
    rival = CompetitorProduct.objects.create(competitor=competitor, name=f"{tag} rival product",
                                             price=Decimal("9.00"), our_product=product, strengths=f"{tag} strong")
    entry = OpportunityCompetitor.objects.create(opportunity=opportunity, competitor=competitor,
                                                 quoted_price=Decimal("9.50"), notes=f"{tag} threat")
    complaint = Complaint.objects.create(customer=customer, product=product, subject=f"{tag} complaint",
                                         description=f"{tag} details", assignee=user, recorded_by=user,
                                         received_at=timezone.now())
    category = ArticleCategory.objects.create(name=f"{tag} knowledge category")
    article = Article.objects.create(title=f"{tag} article", body=f"{tag} body", category=category, author=user,
                                     tags=[tag], is_published=True, published_at=timezone.now())
    return [str(o.pk) for o in (competitor, rival, entry, complaint, category, article)]

