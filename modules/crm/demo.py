"""A believable CRM data set for the demo workspace: contacts, a pipeline of
opportunities across every stage (a year of won/lost history, so win rates
and forecasts mean something), follow-ups with planned next actions, stale
opportunities, quotes (one waiting for approval), and the customer-service
side — web leads, bids, competitors, complaints and a knowledge base.
Called from tenants.demo._fill() after the customers exist."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context
from faker import Faker

from core.catalog.models import Product
from core.users.models import User

from . import services
from .models import Contact, Customer, FollowUp, Opportunity
from .models.opportunities import DEFAULT_PROBABILITY, Stage
from .services.stale import opportunities_flag_stale

PROJECTS = ["Pump station upgrade", "Cooling water loop", "Boiler feed pumps", "Dosing skid", "Valve retrofit",
            "Filtration line", "Wastewater lift station", "Spare parts framework", "Seal replacement",
            "New plant phase 2", "Fire water system", "Slurry transfer"]
STAGE_WEIGHTS = [(Stage.LEAD, 22), (Stage.QUALIFIED, 18), (Stage.PROPOSAL, 14), (Stage.NEGOTIATION, 8),
                 (Stage.WON, 20), (Stage.LOST, 18)]
TITLES = ["Purchasing manager", "Plant director", "Chief engineer", "Maintenance lead", "General manager"]
NEXT_ACTIONS = ["Send the revised quote", "Site visit with the engineer", "Call about the tender timetable",
                "Deliver samples", "Meet the purchasing manager"]


def seed_crm(tenant, *, seed: int = 2026) -> None:
    """Fill ``tenant`` (already holding staff, products and customers)."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    Faker.seed(seed)
    with schema_context(tenant.schema_name):
        customers = list(Customer.objects.select_related("owner").order_by("name"))
        if not customers or Opportunity.objects.exists():
            return
        now = timezone.now()
        _master_data(rng, fake, customers)
        opportunities = _pipeline(rng, customers, now)
        _follow_ups(rng, opportunities, now)
        _quotes(rng, opportunities)
        _competition(rng, opportunities)
        _service_desk(rng, fake, customers)
        opportunities_flag_stale(now)


def _master_data(rng, fake, customers) -> None:
    sources = [value for value, _label in Customer.Source.choices]
    for customer in customers:
        customer.tax_id = f"91{rng.randrange(10**15, 10**16)}"
        customer.source = rng.choice(sources)
        customer.credit_rating = rng.choice(["AAA", "AA", "A", "A", "B", "C"])
    Customer.objects.bulk_update(customers, ["tax_id", "source", "credit_rating"])
    Contact.objects.bulk_create([
        Contact(customer=customer, name=fake.name(), title=rng.choice(TITLES), phone=fake.phone_number(),
                email=fake.email(), is_primary=(n == 0))
        for customer in customers for n in range(rng.choice([1, 1, 2]))
    ])


def _pipeline(rng, customers, now) -> list[Opportunity]:
    stages = [stage for stage, weight in STAGE_WEIGHTS for _ in range(weight)]
    rows = []
    for customer in rng.sample(customers, k=min(len(customers), 220)):
        for project in rng.sample(PROJECTS, k=rng.choice([1, 1, 1, 2])):
            stage = rng.choice(stages)
            created = now - timedelta(days=rng.randint(5, 330))
            closed = stage in (Stage.WON, Stage.LOST)
            rows.append(Opportunity(
                customer=customer, project=project, owner=customer.owner, department=customer.department,
                kind=rng.choice([Opportunity.Kind.PROJECT] * 3 + [Opportunity.Kind.SPARE_PARTS]),
                source=customer.source or Opportunity.Source.SELF_DEVELOPED, stage=stage,
                amount=Decimal(rng.randrange(20, 1500) * 1000), probability=DEFAULT_PROBABILITY[stage],
                expected_close=(now + timedelta(days=rng.randint(10, 150))).date() if not closed else None,
                closed_at=created + timedelta(days=rng.randint(5, 60)) if closed else None,
                lost_reason=rng.choice(["Price too high", "Chose a local supplier", "Project cancelled"])
                if stage == Stage.LOST else "",
            ))
    created = Opportunity.objects.bulk_create(rows)
    for opportunity in created:  # auto_now_add ignores a given value: spread creation over the year
        opportunity.created_at = now - timedelta(days=rng.randint(5, 330))
        if opportunity.closed_at and opportunity.closed_at < opportunity.created_at:
            opportunity.closed_at = opportunity.created_at + timedelta(days=rng.randint(5, 60))
        if opportunity.closed_at and opportunity.closed_at > now:
            opportunity.closed_at = now - timedelta(days=1)
    Opportunity.objects.bulk_update(created, ["created_at", "closed_at"])
    return created


def _follow_ups(rng, opportunities, now) -> None:
    """Most open opportunities were followed up recently; some were forgotten
    (they become stale); some have a planned next action."""
    today = timezone.localdate()
    rows, touched = [], []
    for opportunity in opportunities:
        if opportunity.stage in (Stage.WON, Stage.LOST) or rng.random() < 0.12:
            continue
        for _ in range(rng.randint(1, 3)):
            when = now - timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 8))
            planned = rng.random() < 0.35
            rows.append(FollowUp(
                customer_id=opportunity.customer_id, opportunity=opportunity, author=opportunity.owner,
                kind=rng.choice(list(FollowUp.Kind.values)), happened_at=when,
                summary=rng.choice(["Discussed technical requirements.", "Sent the datasheets.",
                                    "Customer asked for a discount.", "Visited the plant with our engineer."]),
                next_action=rng.choice(NEXT_ACTIONS) if planned else "",
                next_action_on=today + timedelta(days=rng.randint(1, 14)) if planned else None,
            ))
            opportunity.last_follow_up_at = max(opportunity.last_follow_up_at or when, when)
        touched.append(opportunity)
    FollowUp.objects.bulk_create(rows)
    Opportunity.objects.bulk_update(touched, ["last_follow_up_at"])


def _quotes(rng, opportunities) -> None:
    """A few quotes on open opportunities; the largest goes for approval."""
    products = list(Product.objects.filter(is_active=True).order_by("sku")[:40])
    open_ones = [o for o in opportunities if o.stage in (Stage.PROPOSAL, Stage.NEGOTIATION)]
    if not products or not open_ones:
        return
    owners = {u.pk: u for u in User.objects.filter(pk__in={o.owner_id for o in open_ones})}
    quotes = []
    for opportunity in rng.sample(open_ones, k=min(12, len(open_ones))):
        lines = [{"product": product, "quantity": Decimal(rng.randint(1, 20)),
                  "discount": Decimal(rng.choice(["0", "0.05", "0.1"])), "tax_rate": Decimal("0.13")}
                 for product in rng.sample(products, k=rng.randint(1, 4))]
        quotes.append(services.quote_create(by=owners[opportunity.owner_id], opportunity=opportunity, lines=lines))
    waiting = max(quotes, key=lambda quote: quote.total)
    services.quote_submit(quote=waiting, by=owners[waiting.owner_id], comment="Please approve before Friday.")


COMPETITORS = {
    "Nanfang Pump Industry": [("NF-CDL 32", "68000"), ("NF-TD 150", "125000")],
    "Grundfos China (reseller)": [("CR 45-2", "91000")],
    "Kaiquan Valve": [("KQ Z41H gate valve", "5200"), ("KQ Q41F ball valve", "2100")],
}


def _competition(rng, opportunities) -> None:
    """Competitors (counterparties of kind competitor) with products priced
    against ours, on some open opportunities; bids on the tender ones."""
    admin = User.objects.filter(is_tenant_admin=True).order_by("date_joined").first()
    ours = list(Product.objects.filter(is_active=True).order_by("sku")[:10])
    rivals = []
    for name, products in COMPETITORS.items():
        rival = services.customer_create(by=admin, name=name, kind=Customer.Kind.COMPETITOR, allow_duplicate=True)
        rivals.append(rival)
        for product_name, price in products:
            services.competitor_product_create(
                by=admin, competitor=rival, name=product_name, price=Decimal(price), our_product=rng.choice(ours),
                strengths="Lower price, local service network.", weaknesses="Longer lead times for spare parts.",
                last_seen_on=timezone.localdate() - timedelta(days=rng.randint(5, 90)))
    open_ones = [o for o in opportunities if o.stage in (Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION)]
    for opportunity in rng.sample(open_ones, k=min(30, len(open_ones))):
        services.opportunity_competitor_add(
            by=admin, opportunity=opportunity, competitor=rng.choice(rivals),
            quoted_price=(opportunity.amount * Decimal(rng.choice(["0.85", "0.92", "1.05"]))).quantize(Decimal("1")),
            threat_level=rng.choice(["low", "medium", "high"]))
    tenders = [o for o in opportunities if o.source == Opportunity.Source.TENDER and o.stage != Stage.LEAD]
    for n, opportunity in enumerate(tenders[:25], start=1):
        result = {Stage.WON: "won", Stage.LOST: "lost"}.get(opportunity.stage, "pending")
        services.bid_create(by=admin, opportunity=opportunity, tender_number=f"ZB-2026-{n:03d}",
                            tendering_party=f"{opportunity.customer.name} purchasing centre",
                            bid_date=timezone.localdate() - timedelta(days=rng.randint(0, 120)),
                            amount=opportunity.amount, deposit=(opportunity.amount * Decimal("0.02")).quantize(
                                Decimal("0.01")), result=result)


ARTICLES = {
    "Products": [("Choosing a centrifugal pump", "Start from flow (m³/h) and head (m); check NPSH at the site."),
                 ("Seal types compared", "Mechanical seals suit clean water; packed glands tolerate solids.")],
    "After-sales": [("Warranty terms", "Pumps: 18 months from delivery or 12 from commissioning, whichever first."),
                    ("Handling a noisy pump", "Check alignment, bearing wear and cavitation, in that order.")],
}


def _service_desk(rng, fake, customers) -> None:
    """Web leads waiting in the queue, complaints in every status, a knowledge base."""
    admin = User.objects.filter(is_tenant_admin=True).order_by("date_joined").first()
    desk = User.objects.filter(email="service@demo.weft.test").first() or admin
    services.crm_settings_update(by=admin, lead_assignee=desk)
    product_ids = list(Product.objects.filter(is_active=True).values_list("pk", flat=True)[:20])
    for _ in range(6):
        services.lead_submit(company_name=fake.company(), contact_name=fake.name(), phone=fake.phone_number(),
                             email=fake.email(), product=Product.objects.get(pk=rng.choice(product_ids)),
                             message="Please send a quotation and the delivery time.")
    for n, customer in enumerate(rng.sample(customers, k=min(12, len(customers)))):
        complaint = services.complaint_create(
            by=desk, customer=customer, assignee=desk, kind=rng.choice(["complaint", "complaint", "suggestion"]),
            severity=rng.choice(["low", "medium", "high"]),
            subject=rng.choice(["Pump delivered late", "Seal leaking after two weeks", "Invoice amount wrong",
                                "Please add a Chinese manual"]),
            description="Reported by phone to customer service.")
        if n % 3:
            services.complaint_set_status(complaint=complaint, by=desk, status="in_progress")
        if n % 3 == 2:
            services.complaint_set_status(complaint=complaint, by=desk, status="resolved",
                                          resolution="Replaced the seal on site; customer confirmed.")
    for category_name, articles in ARTICLES.items():
        category = services.article_category_create(by=desk, name=category_name)
        for title, body in articles:
            services.article_create(by=desk, title=title, body=body, category=category, tags=[category_name],
                                    is_published=True)
