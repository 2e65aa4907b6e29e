"""The pipeline board (kanban by stage, moving cards), the analysis page
(funnel, breakdowns, forecast) and the opportunity board's tabs: scoped,
exact per currency, constant queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.crm.models import Opportunity
from modules.crm.pipeline import board_columns, pipeline_summary
from tests.factories import FollowUpFactory, OpportunityFactory

from .conftest import in_schema, set_module
from .test_opportunities import crm  # noqa: F401 - fixture


def _columns(response):
    return {c.stage: c for c in response.context["columns"]}


def test_board_groups_by_stage_with_totals_per_currency_within_scope(web_for, tenant_a, crm):
    with in_schema(tenant_a):
        OpportunityFactory(customer=crm.c_r1, project="A", stage="proposal", amount=Decimal("100.10"), probability=50)
        OpportunityFactory(customer=crm.c_r1, project="B", stage="proposal", amount=Decimal("0.20"), probability=50)
        OpportunityFactory(customer=crm.c_r1, project="C", stage="proposal", amount=Decimal("7"), currency="USD",
                           probability=50)
        OpportunityFactory(customer=crm.c_r2, project="Theirs", stage="proposal", amount=Decimal("999"))
    rep = web_for(tenant_a, crm.r1)
    response = rep.get("/crm/pipeline/")
    assert response.status_code == 200
    proposal = _columns(response)["proposal"]
    assert proposal.count == 3
    assert sorted(o.project for o in proposal.cards) == ["A", "B", "C"]
    assert proposal.amount.items == [("CNY", Decimal("100.30")), ("USD", Decimal("7.00"))]
    assert proposal.weighted.items == [("CNY", Decimal("50.15")), ("USD", Decimal("3.50"))]  # 50 %
    html = response.content.decode()
    assert "Theirs" not in html and "<script>" not in html and 'style="' not in html
    manager = web_for(tenant_a, crm.m)
    assert _columns(manager.get("/crm/pipeline/"))["proposal"].count == 4


def test_board_queries_do_not_grow_with_the_number_of_opportunities(tenant_a, crm):
    with in_schema(tenant_a):
        OpportunityFactory(customer=crm.c_r1, project="Only", stage="lead")
        from modules.crm.selectors import opportunity_list

        board_columns(opportunity_list(user=crm.m))  # the caller's roles and scope are loaded once
        with CaptureQueriesContext(connection) as one:
            columns = board_columns(opportunity_list(user=crm.m))
            [(o.customer.name, str(o.owner)) for c in columns for o in c.cards]
        for n in range(40):
            OpportunityFactory(customer=crm.c_r2, project=f"P{n}", stage=["lead", "qualified", "won"][n % 3])
        with CaptureQueriesContext(connection) as many:
            columns = board_columns(opportunity_list(user=crm.m))
            [(o.customer.name, str(o.owner)) for c in columns for o in c.cards]
    assert len(many) == len(one)
    by_stage = {c.stage: c for c in columns}
    assert by_stage["lead"].count == 15 and len(by_stage["lead"].cards) == 15
    assert by_stage["qualified"].count == 13 and by_stage["won"].count == 0  # won but never closed_at: not shown


def test_board_shows_the_first_cards_and_counts_the_rest(tenant_a, crm):
    from modules.crm.pipeline import CARDS_PER_COLUMN
    from modules.crm.selectors import opportunity_list

    with in_schema(tenant_a):
        for n in range(CARDS_PER_COLUMN + 3):
            OpportunityFactory(customer=crm.c_r1, project=f"Q{n}", stage="qualified")
        column = {c.stage: c for c in board_columns(opportunity_list(user=crm.r1))}["qualified"]
    assert (column.count, len(column.cards), column.hidden) == (CARDS_PER_COLUMN + 3, CARDS_PER_COLUMN, 3)


def test_moving_a_card_uses_the_stage_rules(web_for, tenant_a, crm):
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1, project="Drag me", stage="lead")
        theirs = OpportunityFactory(customer=crm.c_r2, project="Not mine", stage="lead")
    rep = web_for(tenant_a, crm.r1)
    moved = rep.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "negotiation"}, HTTP_ACCEPT="application/json")
    assert moved.status_code == 200 and moved.json()["stage"] == "negotiation" and moved.json()["probability"] == 75
    no_reason = rep.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "lost"}, HTTP_ACCEPT="application/json")
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["fields"] == {"lost_reason": ["Say why the opportunity was lost."]}
    bad = rep.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "sleeping"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"stage": ["Choose a valid stage."]}
    assert rep.post(f"/crm/opportunities/{theirs.pk}/move/", {"stage": "won"}).status_code == 404
    # the form without JavaScript: redirect back to the board with a message
    plain = rep.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "lost", "lost_reason": "Price",
                                                            "next": "/crm/pipeline/?mine=true"})
    assert plain.status_code == 302 and plain["Location"] == "/crm/pipeline/?mine=true"
    offsite = rep.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "lead", "next": "https://evil.example/"})
    assert offsite["Location"] == "/crm/pipeline/"
    with in_schema(tenant_a):
        opp.refresh_from_db()
        theirs.refresh_from_db()
    assert (opp.stage, theirs.stage) == ("lead", "lead")


def test_moving_needs_change_permission_and_the_module(web_for, tenant_a, crm, make_user):
    from tests.factories import RoleFactory

    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1, project="Read only", stage="lead")
        viewer = RoleFactory(name="Viewer", permissions=["crm.opportunity.view"], data_scope="all")
    reader = web_for(tenant_a, make_user(tenant_a, roles=[viewer]))
    assert reader.get("/crm/pipeline/").status_code == 200
    assert 'draggable="true"' not in reader.get("/crm/pipeline/").content.decode()
    assert reader.post(f"/crm/opportunities/{opp.pk}/move/", {"stage": "won"}).status_code == 403
    set_module(tenant_a, "crm", False)
    assert web_for(tenant_a, crm.r1).get("/crm/pipeline/").status_code == 404


def test_analysis_funnel_breakdowns_and_forecast(web_for, tenant_a, crm):
    now = timezone.now()
    with in_schema(tenant_a):
        crm.c_r1.region = "East"
        crm.c_r1.save()
        OpportunityFactory(customer=crm.c_r1, project="Open 1", stage="proposal", amount=Decimal("1000"),
                           source="tender")
        OpportunityFactory(customer=crm.c_r1, project="Open 2", stage="lead", amount=Decimal("500"),
                           source="referral")
        for n, stage in enumerate(["won", "won", "won", "lost"]):
            OpportunityFactory(customer=crm.c_r1, project=f"Closed {n}", stage=stage, amount=Decimal("10"),
                               closed_at=now - datetime.timedelta(days=10), lost_reason="x" if stage == "lost" else "")
        OpportunityFactory(customer=crm.c_r2, project="R2 open", stage="lead", amount=Decimal("200"))
    manager = web_for(tenant_a, crm.m)
    response = manager.get("/crm/pipeline/analysis/")
    assert response.status_code == 200
    summary = response.context["summary"]
    funnel = {c.stage: c.count for c in summary.funnel}
    assert funnel == {"lead": 2, "qualified": 0, "proposal": 1, "negotiation": 0, "won": 3, "lost": 1}
    reps = {b.label: b for b in summary.by_rep}
    ray = reps["Ray One"]
    assert (ray.open_count, ray.won, ray.lost, ray.win_rate) == (2, 3, 1, Decimal("75.0"))
    assert ray.forecast.items == [("CNY", Decimal("1125.00"))]  # 1,500 open × 75 %
    rita = reps["Rita Two"]
    assert rita.win_rate is None and rita.forecast.items == [("CNY", Decimal("20.00"))]  # 200 × 10 % at lead
    assert {b.label: b.open_count for b in summary.by_region} == {"East": 2, "—": 1}
    assert {b.label: b.open_count for b in summary.by_source}["Tender"] == 1
    chart = response.context["chart"]
    assert chart["currency"] == "CNY" and [row["value"] for row in chart["funnel"]] == [2, 0, 1, 0]
    assert 'id="pipeline-chart-data"' in response.content.decode()
    # a rep sees only their own figures
    rep_summary = web_for(tenant_a, crm.r2).get("/crm/pipeline/analysis/").context["summary"]
    assert [b.label for b in rep_summary.by_rep] == ["Rita Two"]


def test_analysis_runs_a_fixed_number_of_queries(tenant_a, crm):
    from modules.crm.selectors import opportunity_list

    with in_schema(tenant_a):
        OpportunityFactory(customer=crm.c_r1, project="One")
        pipeline_summary(opportunity_list(user=crm.m))  # the caller's roles and scope are loaded once
        with CaptureQueriesContext(connection) as one:
            pipeline_summary(opportunity_list(user=crm.m)).chart_data()
        for n in range(30):
            OpportunityFactory(customer=[crm.c_r1, crm.c_r2][n % 2], project=f"X{n}", source="referral")
        with CaptureQueriesContext(connection) as many:
            pipeline_summary(opportunity_list(user=crm.m)).chart_data()
    assert len(many) == len(one) == 4


def test_opportunity_board_tabs_follow_permissions_and_scope(web_for, tenant_a, crm):
    today = timezone.localdate()
    with in_schema(tenant_a):
        opp = OpportunityFactory(customer=crm.c_r1, project="Board")
        FollowUpFactory(customer=crm.c_r1, opportunity=opp, summary="Called",
                        next_action="Send samples", next_action_on=today + datetime.timedelta(days=2))
        FollowUpFactory(customer=crm.c_r1, opportunity=opp, summary="Old plan",
                        next_action="Past", next_action_on=today - datetime.timedelta(days=2))
    rep = web_for(tenant_a, crm.r1)
    page = rep.get(f"/crm/opportunities/{opp.pk}/")
    keys = [tab.key for tab in page.context["tabs"]]
    assert keys[:3] == ["follow-ups", "plans", "contacts"] and "owners" in keys
    assert "quotes" not in keys  # the rep's role has no quote permission
    assert page.context["active_tab"].key == "follow-ups"
    plans = rep.get(f"/crm/opportunities/{opp.pk}/?tab=plans")
    assert [f.next_action for f in plans.context["plans"]] == ["Send samples"]
    outcome = rep.get(f"/crm/opportunities/{opp.pk}/?tab=outcome")
    assert "Still open." in outcome.content.decode()
    unknown = rep.get(f"/crm/opportunities/{opp.pk}/?tab=nope")
    assert unknown.status_code == 200 and unknown.context["active_tab"].key == "follow-ups"
    with in_schema(tenant_a):
        assert Opportunity.objects.filter(pk=opp.pk).exists()
