"""Quote rules (services): cent-exact totals, carry-over from an opportunity,
copy, edit states, the "crm.quote" approval type driving the quote state,
amount conditions on the quote total, won/lost updating the opportunity."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.approvals import services as approvals
from core.approvals.models import ApprovalRequest, AssigneeType, StepKind
from core.approvals.registry import document_types
from core.audit.models import AuditEntry
from core.errors import DomainError
from modules.crm import services
from modules.crm.models import Opportunity, Quote, QuoteLine
from modules.crm.models.quotes import line_amounts
from tests.factories import ProductFactory, RoleFactory, drop_flows

from .conftest import in_schema
from .test_opportunities import PIPELINE_PERMISSIONS, crm  # noqa: F401 - fixture

QUOTE_PERMISSIONS = [f"crm.quote.{a}" for a in ("view", "add", "change", "delete", "export")]


@pytest.fixture
def q(crm, tenant_a):
    """The CRM org with quote permissions, two products, an opportunity of R1
    and a "crm.quote" flow: 1. R1's manager (M) → 2. a director for totals
    from 100,000.00 CNY."""
    with in_schema(tenant_a):
        for role in (crm.rep_role, crm.manager_role, crm.head_role):
            role.permissions = role.permissions + QUOTE_PERMISSIONS
            role.save()
        for user in (crm.m, crm.r1, crm.r2, crm.p, crm.head):
            user.__dict__.pop("_weft_access", None)
        director_role = RoleFactory(name="Director", permissions=[])
        crm.head.roles.add(director_role)
        pump = ProductFactory(sku="PUMP-1", name="Pump", list_price=Decimal("19.99"), currency="CNY", unit="pcs")
        seal = ProductFactory(sku="SEAL-1", name="Seal", list_price=Decimal("0.25"), currency="CNY")
        usd = ProductFactory(sku="USD-1", name="Imported valve", list_price=Decimal("10.00"), currency="USD")
        opp = services.opportunity_create(by=crm.r1, customer=crm.c_r1, project="Line 4", amount="1000",
                                          stage="proposal")
        drop_flows(document_type="crm.quote")  # replace the seeded default with this test's flow
        flow = approvals.flow_create(by=crm.admin, document_type="crm.quote", name="Quote approval", steps=[
            {"name": "Manager", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.MANAGER, "manager_level": 1},
            {"name": "Director", "kind": StepKind.SINGLE, "assignee_type": AssigneeType.ROLE, "role": director_role,
             "min_amount": Decimal("100000"), "currency": "CNY"},
        ])
    return SimpleNamespace(org=crm, pump=pump, seal=seal, usd=usd, opp=opp, flow=flow)


def lines(q):
    """3 × 19.99 at 15 % off, 13 % tax; 1 × 0.25 at 50 % off, 50 % tax."""
    return [
        {"product": q.pump, "quantity": Decimal("3"), "discount": Decimal("0.15"), "tax_rate": Decimal("0.13")},
        {"product": q.seal, "quantity": Decimal("1"), "discount": Decimal("0.5"), "tax_rate": Decimal("0.5")},
    ]


def quotes_of(tenant):
    with in_schema(tenant):
        return (sorted(Quote.objects.values_list("id", "state", "title", "total", "lost_reason")),
                sorted(QuoteLine.objects.values_list("id", "quantity", "total")),
                ApprovalRequest.objects.filter(document_type="crm.quote").count(),
                sorted(Opportunity.objects.values_list("id", "stage", "amount")))


def request_of(quote):
    return ApprovalRequest.objects.get(object_id=quote.pk)


# ------------------------------------------------------------------- money


@pytest.mark.parametrize(("qty", "price", "discount", "tax", "expected"), [
    ("3", "19.99", "0.15", "0.13", ("50.97", "6.63", "57.60")),   # 50.9745 → 50.97; 6.6261 → 6.63
    ("1", "0.25", "0.5", "0.5", ("0.13", "0.07", "0.20")),        # 0.125 → 0.13 and 0.065 → 0.07 (half up, not even)
    ("2.5", "0.01", "0", "0", ("0.03", "0.00", "0.03")),          # 0.025 → 0.03
    ("7", "1234.56", "0.0333", "0.06", ("8354.14", "501.25", "8855.39")),  # 8354.144064; 501.2484
])
def test_line_amounts_are_cent_exact_half_up(qty, price, discount, tax, expected):
    assert line_amounts(Decimal(qty), Decimal(price), Decimal(discount), Decimal(tax)) == tuple(
        Decimal(v) for v in expected)


def test_create_from_opportunity_carries_fields_and_totals_the_rounded_lines(tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        quote.refresh_from_db()
        assert (quote.customer_id, quote.title, quote.currency, quote.owner_id, quote.department_id, quote.state) == (
            q.org.c_r1.pk, "Line 4", "CNY", q.org.r1.pk, q.org.east.pk, "draft")
        assert (quote.subtotal, quote.tax_total, quote.total) == (Decimal("51.10"), Decimal("6.70"), Decimal("57.80"))
        assert list(quote.lines.values_list("position", "description", "unit_price", "net", "tax", "total")) == [
            (1, "Pump", Decimal("19.99"), Decimal("50.97"), Decimal("6.63"), Decimal("57.60")),
            (2, "Seal", Decimal("0.25"), Decimal("0.13"), Decimal("0.07"), Decimal("0.20")),
        ]
        assert quote.number.startswith("Q") and quote.number.endswith("-0001")
        second = services.quote_create(by=q.org.r1, customer=q.org.c_r1, title="Spare", lines=[])
        assert second.number == quote.number[:-4] + "0002"
        assert (second.opportunity_id, second.total) == (None, Decimal("0.00"))


def test_invalid_lines_are_reported_per_line_and_nothing_is_saved(tenant_a, q):
    before = quotes_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.quote_create(by=q.org.r1, opportunity=q.opp, lines=[
            {"product": q.pump, "quantity": Decimal("0")},
            {"product": q.seal, "quantity": Decimal("1"), "discount": Decimal("1.5")},
            {"product": q.usd, "quantity": Decimal("1")},
            {"product": q.pump, "quantity": Decimal("1.0001")},
        ])
    assert caught.value.fields == {"lines": [
        "1: quantity: Enter a number greater than 0.",
        "2: discount: Enter a number between 0 and 1.",
        "3: unit_price: The product is priced in USD; enter a price in CNY.",
        "4: quantity: Use at most 3 decimal places.",
    ]}
    assert quotes_of(tenant_a) == before


def test_customer_and_opportunity_must_be_in_scope(tenant_a, q):
    before = quotes_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            services.quote_create(by=q.org.r2, opportunity=q.opp, lines=lines(q))
        assert caught.value.fields == {"opportunity": ["Unknown or outside your data scope."]}
        with pytest.raises(DomainError) as caught:
            services.quote_create(by=q.org.r2, customer=q.org.c_r1, title="x")
        assert caught.value.fields == {"customer": ["Unknown or outside your data scope."]}
    assert quotes_of(tenant_a) == before


# ---------------------------------------------------------------- approval


def test_crm_quote_is_a_registered_document_type():
    doc_type = document_types.get("crm.quote")
    assert (doc_type.model, doc_type.module, doc_type.has_amount) == ("crm.Quote", "crm", True)


def test_approval_drives_the_state_and_won_updates_the_opportunity(tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        request = services.quote_submit(quote=quote, by=q.org.r1)
        quote.refresh_from_db()
        assert (quote.state, request.state, request.amount, request.currency) == (
            "pending", "pending", Decimal("57.80"), "CNY")
        # small total: only the manager step applies
        assert list(request.steps.filter(round=request.round).values_list("name", flat=True)) == ["Manager"]
        with pytest.raises(DomainError) as caught:
            services.quote_update(quote=quote, by=q.org.r1, title="Changed")
        assert caught.value.code == "conflict"
        with pytest.raises(DomainError) as caught:
            services.quote_mark_won(quote=quote, by=q.org.r1)
        assert caught.value.code == "conflict"
        approvals.approval_approve(request=request, by=q.org.m)
        quote.refresh_from_db()
        assert quote.state == "approved"
        services.quote_mark_won(quote=quote, by=q.org.r1)
        quote.refresh_from_db()
        opp = Opportunity.objects.get(pk=q.opp.pk)
        assert (quote.state, quote.closed_at is not None) == ("won", True)
        assert (opp.stage, opp.amount, opp.probability, opp.closed_at is not None) == (
            "won", Decimal("57.80"), 100, True)
        assert list(AuditEntry.objects.filter(object_id=str(quote.pk)).order_by("at")
                    .values_list("message", flat=True)) == [
            "", "approval:submitted", "approval:approved", "won"]


def test_amount_conditions_use_the_quote_total(tenant_a, q):
    with in_schema(tenant_a):
        big = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=[
            {"product": q.pump, "quantity": Decimal("5000"), "unit_price": Decimal("20.00")}])
        assert big.total == Decimal("100000.00")
        request = services.quote_submit(quote=big, by=q.org.r1)
        assert request.amount == Decimal("100000.00")
        assert list(request.steps.filter(round=request.round).order_by("position")
                    .values_list("name", flat=True)) == ["Manager", "Director"]


def test_reject_return_withdraw_and_edit_back_to_draft(tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        request = services.quote_submit(quote=quote, by=q.org.r1)
        approvals.approval_return(request=request, by=q.org.m, comment="Lower the seal price")
        quote.refresh_from_db()
        assert quote.state == "returned"
        quote = services.quote_update(quote=quote, by=q.org.r1, lines=lines(q)[:1])
        assert (quote.state, quote.total) == ("returned", Decimal("57.60"))
        request = services.quote_submit(quote=quote, by=q.org.r1)
        assert (Quote.objects.get(pk=quote.pk).state, request.round, request.amount) == (
            "pending", 2, Decimal("57.60"))
        approvals.approval_reject(request=request, by=q.org.m, comment="No")
        quote.refresh_from_db()
        assert quote.state == "rejected"
        quote = services.quote_update(quote=quote, by=q.org.r1, title="Second try")
        assert quote.state == "draft"
        request = services.quote_submit(quote=quote, by=q.org.r1)
        services.quote_withdraw(quote=quote, by=q.org.r1)
        quote.refresh_from_db()
        assert (quote.state, ApprovalRequest.objects.get(pk=request.pk).state) == ("draft", "withdrawn")


def test_submit_needs_lines_and_an_editable_quote_even_through_the_engine(tenant_a, q):
    with in_schema(tenant_a):
        empty = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=[])
    before = quotes_of(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as caught:
            approvals.approval_submit(document=empty, document_type="crm.quote", by=q.org.r1)
        assert caught.value.fields == {"lines": ["Add at least one line."]}
    assert quotes_of(tenant_a) == before
    with in_schema(tenant_a):
        Quote.objects.filter(pk=empty.pk).update(state="won")
        QuoteLine.objects.create(quote=empty, position=1, product=q.pump, quantity=1, unit_price=1, net=1, tax=0,
                                 total=1)
        with pytest.raises(DomainError) as caught:
            services.quote_submit(quote=empty, by=q.org.r1)
        assert caught.value.code == "conflict"
        assert ApprovalRequest.objects.filter(object_id=empty.pk).count() == 0


def test_lost_needs_a_reason_and_loses_the_opportunity(tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        approvals.approval_approve(request=services.quote_submit(quote=quote, by=q.org.r1), by=q.org.m)
    before = quotes_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.quote_mark_lost(quote=quote, by=q.org.r1, reason="  ")
    assert caught.value.fields == {"lost_reason": ["Say why the quote was lost."]}
    assert quotes_of(tenant_a) == before
    with in_schema(tenant_a):
        services.quote_mark_lost(quote=quote, by=q.org.r1, reason="Price")
        quote.refresh_from_db()
        opp = Opportunity.objects.get(pk=q.opp.pk)
        assert (quote.state, quote.lost_reason, opp.stage, opp.lost_reason, opp.amount) == (
            "lost", "Price", "lost", "Price", Decimal("1000.00"))


def test_copy_a_historical_quote(tenant_a, q):
    with in_schema(tenant_a):
        old = services.quote_create(by=q.org.r1, customer=q.org.c_r1, title="Last year", notes="Terms",
                                    lines=lines(q))
        copy = services.quote_copy(source=old, by=q.org.r1, opportunity=q.opp)
        assert (copy.state, copy.title, copy.notes, copy.copied_from_id, copy.opportunity_id, copy.total) == (
            "draft", "Line 4", "Terms", old.pk, q.opp.pk, Decimal("57.80"))
        assert list(copy.lines.values_list("product_id", "quantity", "discount", "tax_rate")) == list(
            old.lines.values_list("product_id", "quantity", "discount", "tax_rate"))
        plain = services.quote_copy(source=old, by=q.org.r1)
        assert (plain.customer_id, plain.opportunity_id, plain.title) == (q.org.c_r1.pk, None, "Last year")
    before = quotes_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.quote_copy(source=old, by=q.org.r2)
    assert caught.value.fields == {"source": ["Unknown or outside your data scope."]}
    assert quotes_of(tenant_a) == before


def test_only_drafts_are_deleted(tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        services.quote_submit(quote=quote, by=q.org.r1)
    before = quotes_of(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as caught:
        services.quote_delete(quote=quote, by=q.org.r1)
    assert caught.value.code == "conflict"
    assert quotes_of(tenant_a) == before
