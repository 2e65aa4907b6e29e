"""Quote pages: create from an opportunity with lines, edit, detail actions
(submit, won, lost, copy), print view (no script), scope, permission, module."""

from decimal import Decimal

from core.approvals import services as approvals
from core.approvals.services.engine import open_request_for
from core.org.models import DataScope
from modules.crm import services
from modules.crm.models import Opportunity, Quote
from tests.factories import RoleFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture
from .test_quotes import lines, q, quotes_of  # noqa: F401 - fixtures


def formset(rows, total=3):
    data = {"lines-TOTAL_FORMS": str(total), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "200"}
    for i, row in enumerate(rows):
        data.update({f"lines-{i}-{k}": v for k, v in row.items()})
    return data


def no_inline_script(html):
    assert "<script>" not in html and "onclick" not in html and 'style="' not in html


def test_create_from_opportunity_with_lines_then_print(web_for, tenant_a, q):
    rep = web_for(tenant_a, q.org.r1)
    page = rep.get(f"/crm/quotes/new/?opportunity={q.opp.pk}")
    assert page.status_code == 200
    no_inline_script(page.content.decode())
    response = rep.post(f"/crm/quotes/new/?opportunity={q.opp.pk}", {"valid_until": "2030-01-31"} | formset([
        {"product": str(q.pump.pk), "quantity": "3", "discount": "15", "tax_rate": "13"},
        {"product": str(q.seal.pk), "quantity": "1", "discount": "50", "tax_rate": "50"},
    ]))
    assert response.status_code == 302, response.content.decode()[:3000]
    with in_schema(tenant_a):
        quote = Quote.objects.get()
    assert response["Location"] == f"/crm/quotes/{quote.pk}/"
    assert (quote.title, quote.total, quote.opportunity_id) == ("Line 4", Decimal("57.80"), q.opp.pk)
    detail = rep.get(f"/crm/quotes/{quote.pk}/")
    assert detail.status_code == 200
    no_inline_script(detail.content.decode())
    printed = rep.get(f"/crm/quotes/{quote.pk}/print/")
    html = printed.content.decode()
    assert printed.status_code == 200 and "<script" not in html and 'style="' not in html
    assert quote.number in html and "57.80" in html and "51.10" in html and "6.70" in html
    assert "crm/quote_print.css" in html and "Not yet approved" in html


def test_form_shows_line_errors_and_saves_nothing(web_for, tenant_a, q):
    before = quotes_of(tenant_a)
    response = web_for(tenant_a, q.org.r1).post(f"/crm/quotes/new/?opportunity={q.opp.pk}", formset([
        {"product": str(q.usd.pk), "quantity": "1"}, {"description": "no product"}]))
    assert response.status_code == 400
    forms = response.context["formset"].forms
    assert forms[1].errors == {"product": ["Choose a product."]}
    assert quotes_of(tenant_a) == before
    response = web_for(tenant_a, q.org.r1).post(f"/crm/quotes/new/?opportunity={q.opp.pk}", formset([
        {"product": str(q.usd.pk), "quantity": "1"}]))
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {
        "unit_price": ["The product is priced in USD; enter a price in CNY."]}
    assert quotes_of(tenant_a) == before


def test_submit_approve_won_lost_copy_edit_from_the_pages(web_for, tenant_a, q):
    with in_schema(tenant_a):
        quote = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
    rep = web_for(tenant_a, q.org.r1)
    base = f"/crm/quotes/{quote.pk}/"
    edit = rep.post(base + "edit/", {"title": "Line 4 offer", "currency": "CNY"} | formset([
        {"product": str(q.pump.pk), "quantity": "2", "unit_price": "10.005"}]))
    assert edit.status_code == 400  # unit price with three places
    edit = rep.post(base + "edit/", {"title": "Line 4 offer", "currency": "CNY"} | formset([
        {"product": str(q.pump.pk), "quantity": "2", "unit_price": "10.50"}]))
    assert edit.status_code == 302
    assert rep.post(base + "submit/").status_code == 302
    with in_schema(tenant_a):
        assert Quote.objects.get(pk=quote.pk).state == "pending"
        assert rep.get(base + "edit/").status_code == 302  # not editable while pending
        approvals.approval_approve(request=open_request_for(quote), by=q.org.m)
    assert rep.post(base + "won/").status_code == 302
    with in_schema(tenant_a):
        assert (Quote.objects.get(pk=quote.pk).state, Quote.objects.get(pk=quote.pk).total) == ("won",
                                                                                              Decimal("21.00"))
        assert Opportunity.objects.get(pk=q.opp.pk).stage == "won"
    copied = rep.post(base + "copy/", {"opportunity": ""})
    with in_schema(tenant_a):
        copy = Quote.objects.get(copied_from=quote)
    assert copied["Location"] == f"/crm/quotes/{copy.pk}/edit/"
    lost = rep.post(f"/crm/quotes/{copy.pk}/lost/", {"lost_reason": "x"})  # a draft cannot be lost
    assert lost.status_code == 302
    with in_schema(tenant_a):
        assert Quote.objects.get(pk=copy.pk).state == "draft"


def test_scope_permission_and_module(web_for, tenant_a, q, make_user):
    with in_schema(tenant_a):
        mine = services.quote_create(by=q.org.r1, opportunity=q.opp, lines=lines(q))
        theirs = services.quote_create(by=q.org.r2, customer=q.org.c_r2, title="R2 offer", lines=lines(q))
    rep = web_for(tenant_a, q.org.r1)
    assert [x.pk for x in rep.get("/crm/quotes/").context["page_obj"].object_list] == [mine.pk]
    before = quotes_of(tenant_a)
    for path in ("", "edit/", "print/"):
        assert rep.get(f"/crm/quotes/{theirs.pk}/{path}").status_code == 404
    for path in ("submit/", "won/", "lost/", "copy/", "delete/"):
        assert rep.post(f"/crm/quotes/{theirs.pk}/{path}", {"lost_reason": "x"}).status_code == 404
    assert rep.get(f"/crm/quotes/new/?customer={q.org.c_r2.pk}").status_code == 404
    with in_schema(tenant_a):
        role = RoleFactory(permissions=["crm.customer.view"], data_scope=DataScope.ALL)
    outsider = web_for(tenant_a, make_user(tenant_a, roles=[role]))
    assert outsider.get("/crm/quotes/").status_code == 403
    assert outsider.get(f"/crm/quotes/{mine.pk}/print/").status_code == 403
    assert outsider.post(f"/crm/quotes/{mine.pk}/submit/").status_code == 403
    set_module(tenant_a, "crm", False)
    assert rep.get(f"/crm/quotes/{mine.pk}/").status_code == 404
    assert quotes_of(tenant_a) == before
