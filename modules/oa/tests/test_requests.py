"""Leave requests and expense claims through the approval engine: default
flows, state following the engine's hooks, owner-only rules, API and pages
(scope, permission, other tenant, module off, unauthenticated)."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.approvals import services as approvals
from core.approvals.models import ApprovalRequest, FlowDefinition
from core.approvals.selectors import pending_for
from core.errors import DomainError
from core.org.models import Role
from modules.oa import services
from modules.oa.models import ExpenseClaim, LeaveRequest

from .conftest import error_of, in_schema, set_module

LEAVES = "/api/v1/oa/leave-requests/"
CLAIMS = "/api/v1/oa/expense-claims/"
MONDAY = date(2026, 3, 2)


def leave_rows(tenant):
    with in_schema(tenant):
        return sorted(LeaveRequest.objects.values_list("id", "requester_id", "state", "starts_on", "ends_on", "days"))


def make_leave(tenant, user, **fields):
    with in_schema(tenant):
        return services.leave_request_create(by=user, starts_on=fields.pop("starts_on", MONDAY),
                                             ends_on=fields.pop("ends_on", MONDAY + timedelta(days=2)), **fields)


# ------------------------------------------------------------ default flows


def test_default_flows_are_seeded(tenant_a):
    with in_schema(tenant_a):
        leave = FlowDefinition.objects.get(document_type="oa.leave_request")
        expense = FlowDefinition.objects.get(document_type="oa.expense_claim")
        leave_steps = list(leave.current_version.steps.values_list("assignee_type", "manager_level", "min_amount"))
        expense_steps = list(expense.current_version.steps.order_by("position").values_list(
            "assignee_type", "manager_level", "role__name", "min_amount", "currency"))
        finance = Role.objects.get(name="Finance")
    assert leave_steps == [("manager", 1, None)]
    assert expense_steps == [("manager", 1, None, None, ""), ("role", None, "Finance", Decimal("5000.00"), "CNY")]
    assert "oa.leave_request.add" in finance.permissions


# -------------------------------------------------------------- services


def test_leave_goes_through_the_manager_and_is_approved(tenant_a, org):
    leave = make_leave(tenant_a, org.r1, reason="Family")
    assert (leave.state, leave.days, leave.department_id) == ("draft", Decimal("3.0"), org.east.pk)
    with in_schema(tenant_a):
        leave = services.leave_request_submit(leave=leave, by=org.r1)
        assert leave.state == "pending"
        request = ApprovalRequest.objects.get(object_id=leave.pk)
        assert list(pending_for(user=org.m)) == [request]
        assert list(pending_for(user=org.p)) == []
        approvals.approval_approve(request=request, by=org.m, comment="Enjoy")
        leave.refresh_from_db()
    assert leave.state == "approved"


def test_returned_leave_is_edited_and_resubmitted(tenant_a, org):
    leave = make_leave(tenant_a, org.r1)
    with in_schema(tenant_a):
        services.leave_request_submit(leave=leave, by=org.r1)
        request = ApprovalRequest.objects.get(object_id=leave.pk)
        approvals.approval_return(request=request, by=org.m, comment="One day less, please")
        leave.refresh_from_db()
        assert leave.state == "returned"
        services.leave_request_update(leave=leave, by=org.r1, ends_on=MONDAY + timedelta(days=1))
        leave = services.leave_request_submit(leave=leave, by=org.r1)
        request.refresh_from_db()
        assert (leave.state, leave.days, request.round, request.state) == ("pending", Decimal("2.0"), 2, "pending")
        approvals.approval_reject(request=request, by=org.m, comment="Busy week")
        leave.refresh_from_db()
        assert leave.state == "rejected"
        with pytest.raises(DomainError) as refused:
            services.leave_request_update(leave=leave, by=org.r1, reason="again")
    assert refused.value.code == "conflict"


def test_withdrawn_leave_can_be_submitted_again(tenant_a, org):
    leave = make_leave(tenant_a, org.r1)
    with in_schema(tenant_a):
        services.leave_request_submit(leave=leave, by=org.r1)
        leave = services.leave_request_withdraw(leave=leave, by=org.r1)
        assert leave.state == "withdrawn"
        leave = services.leave_request_submit(leave=leave, by=org.r1)
        assert leave.state == "pending"
        assert ApprovalRequest.objects.filter(object_id=leave.pk).count() == 2


def test_only_the_requester_submits_and_nothing_changes(tenant_a, org):
    leave = make_leave(tenant_a, org.r1)
    before = leave_rows(tenant_a)
    with in_schema(tenant_a), pytest.raises(DomainError) as refused:
        services.leave_request_submit(leave=leave, by=org.m)
    assert refused.value.code == "permission_denied"
    assert leave_rows(tenant_a) == before
    with in_schema(tenant_a):
        assert not ApprovalRequest.objects.filter(object_id=leave.pk).exists()


def test_leave_validation_saves_nothing(tenant_a, org):
    before = leave_rows(tenant_a)
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as backwards:
            services.leave_request_create(by=org.r1, starts_on=MONDAY, ends_on=MONDAY - timedelta(days=1))
        with pytest.raises(DomainError) as too_many:
            services.leave_request_create(by=org.r1, starts_on=MONDAY, ends_on=MONDAY, days=Decimal("2"))
        with pytest.raises(DomainError) as quarter:
            services.leave_request_create(by=org.r1, starts_on=MONDAY, ends_on=MONDAY, days=Decimal("0.3"))
        with pytest.raises(DomainError) as centuries:  # found by fuzzing: the day count overflowed its column
            services.leave_request_create(by=org.r1, starts_on=MONDAY, ends_on=MONDAY + timedelta(days=366 * 500))
    assert backwards.value.fields == {"ends_on": ["The last day cannot be before the first day."]}
    assert centuries.value.fields == {"ends_on": ["A leave request covers at most 366 days."]}
    assert too_many.value.fields == {"days": ["More days than the period has."]}
    assert list(quarter.value.fields) == ["days"]
    assert leave_rows(tenant_a) == before


def test_submitted_leave_cannot_be_deleted(tenant_a, org):
    leave = make_leave(tenant_a, org.r1)
    with in_schema(tenant_a):
        services.leave_request_submit(leave=leave, by=org.r1)
        with pytest.raises(DomainError) as refused:
            services.leave_request_delete(leave=leave, by=org.r1)
        assert LeaveRequest.objects.filter(pk=leave.pk, state="pending").exists()
    assert refused.value.code == "conflict"


def test_small_expense_needs_only_the_manager_large_one_finance_too(tenant_a, org, make_user):
    with in_schema(tenant_a):
        finance_role = Role.objects.get(name="Finance")
    accountant = make_user(tenant_a, roles=[finance_role], full_name="Fay Finance")
    with in_schema(tenant_a):
        small = services.expense_claim_create(by=org.r1, title="Taxi", amount="120.5", spent_on=MONDAY)
        large = services.expense_claim_create(by=org.r1, title="Trade fair", amount="5000", spent_on=MONDAY)
        assert (small.amount, small.currency) == (Decimal("120.50"), "CNY")
        services.expense_claim_submit(claim=small, by=org.r1)
        services.expense_claim_submit(claim=large, by=org.r1)
        small_request = ApprovalRequest.objects.get(object_id=small.pk)
        large_request = ApprovalRequest.objects.get(object_id=large.pk)
        approvals.approval_approve(request=small_request, by=org.m)
        approvals.approval_approve(request=large_request, by=org.m)
        small.refresh_from_db()
        large.refresh_from_db()
        assert (small.state, large.state) == ("approved", "pending")
        assert list(pending_for(user=accountant)) == [large_request]
        approvals.approval_approve(request=large_request, by=accountant)
        large.refresh_from_db()
    assert large.state == "approved"


def test_expense_amount_must_be_positive(tenant_a, org):
    with in_schema(tenant_a):
        with pytest.raises(DomainError) as refused:
            services.expense_claim_create(by=org.r1, title="Nothing", amount="0", spent_on=MONDAY)
        assert ExpenseClaim.objects.count() == 0
    assert refused.value.fields == {"amount": ["The amount must be more than zero."]}


# -------------------------------------------------------------------- API


def test_api_create_submit_and_list_by_scope(api_for, tenant_a, org):
    rep = api_for(tenant_a, org.r1)
    created = rep.post(LEAVES, {"kind": "sick", "starts_on": "2026-03-02", "ends_on": "2026-03-03"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("kind", "days", "state", "requester", "requester_name", "department_name")} == {
        "kind": "sick", "days": "2.0", "state": "draft", "requester": str(org.r1.pk), "requester_name": "Ray One",
        "department_name": "Sales East"}
    submitted = rep.post(f"{LEAVES}{body['id']}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "pending"
    make_leave(tenant_a, org.p)
    assert [row["requester_name"] for row in api_for(tenant_a, org.m).get(LEAVES).json()["results"]] == ["Ray One"]
    assert api_for(tenant_a, org.p).get(f"{LEAVES}{body['id']}/").status_code == 404
    withdrawn = rep.post(f"{LEAVES}{body['id']}/withdraw/", {}, format="json")
    assert withdrawn.json()["state"] == "withdrawn"


def test_api_validation_error(api_for, tenant_a, org):
    before = leave_rows(tenant_a)
    response = api_for(tenant_a, org.r1).post(LEAVES, {"starts_on": "2026-03-05", "ends_on": "2026-03-02"},
                                              format="json")
    error = error_of(response, 400)
    assert error["fields"] == {"ends_on": ["The last day cannot be before the first day."]}
    assert leave_rows(tenant_a) == before


def test_api_permission_denied(api_for, tenant_a, org):
    before = leave_rows(tenant_a)
    response = api_for(tenant_a, org.outsider).post(LEAVES, {"starts_on": "2026-03-02", "ends_on": "2026-03-02"},
                                                    format="json")
    assert error_of(response, 403)["code"] == "permission_denied"
    assert leave_rows(tenant_a) == before


def test_api_manager_cannot_submit_for_the_rep(api_for, tenant_a, org):
    leave = make_leave(tenant_a, org.r1)
    response = api_for(tenant_a, org.m).post(f"{LEAVES}{leave.pk}/submit/", {}, format="json")
    assert error_of(response, 403)["code"] == "permission_denied"
    assert leave_rows(tenant_a)[0][2] == "draft"


def test_api_other_tenant_module_off_and_anonymous(api_for, tenant_a, tenant_b, admin_b, org):
    leave = make_leave(tenant_a, org.r1)
    set_module(tenant_b, "oa", True)
    assert api_for(tenant_b, admin_b).get(f"{LEAVES}{leave.pk}/").status_code == 404
    assert api_for(tenant_b, admin_b).post(f"{LEAVES}{leave.pk}/submit/", {}, format="json").status_code == 404
    assert api_for(tenant_a, org.r1).get(f"{LEAVES}{uuid.uuid4()}/").status_code == 404
    assert error_of(api_for(tenant_a).get(LEAVES), 401)["code"] == "not_authenticated"
    set_module(tenant_a, "oa", False)
    assert error_of(api_for(tenant_a, org.r1).get(LEAVES), 404)["code"] == "module_disabled"
    assert error_of(api_for(tenant_a, org.r1).post(CLAIMS, {}, format="json"), 404)["code"] == "module_disabled"


def test_api_expense_claim_crud(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    created = client.post(CLAIMS, {"title": "Hotel", "amount": "800.00", "spent_on": "2026-03-01"}, format="json")
    assert created.status_code == 201, created.content
    url = f"{CLAIMS}{created.json()['id']}/"
    patched = client.patch(url, {"amount": "850"}, format="json")
    assert (patched.status_code, patched.json()["amount"]) == (200, "850.00")
    assert api_for(tenant_a, org.p).patch(url, {"amount": "1"}, format="json").status_code == 404
    assert client.delete(url).status_code == 204
    with in_schema(tenant_a):
        assert ExpenseClaim.objects.count() == 0


# ------------------------------------------------------------------ pages


def test_web_create_submit_and_scope(web_for, tenant_a, org):
    rep = web_for(tenant_a, org.r1)
    response = rep.post("/oa/leave/new/", {"kind": "annual", "starts_on": "2026-03-02", "ends_on": "2026-03-02",
                                           "reason": "Dentist"})
    assert response.status_code == 302, response.content
    with in_schema(tenant_a):
        leave = LeaveRequest.objects.get(requester=org.r1)
    assert response["Location"] == f"/oa/leave/{leave.pk}/"
    assert rep.post(f"/oa/leave/{leave.pk}/submit/").status_code == 302
    with in_schema(tenant_a):
        leave.refresh_from_db()
    assert leave.state == "pending"
    assert web_for(tenant_a, org.p).get(f"/oa/leave/{leave.pk}/").status_code == 404
    page = web_for(tenant_a, org.m).get(f"/oa/leave/{leave.pk}/")
    assert page.status_code == 200 and "Dentist" in page.content.decode()


def test_web_invalid_form_and_refusals(web_for, tenant_a, tenant_b, admin_b, org):
    before = leave_rows(tenant_a)
    response = web_for(tenant_a, org.r1).post("/oa/leave/new/", {"kind": "annual", "starts_on": "2026-03-05",
                                                                 "ends_on": "2026-03-02"})
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.content.decode()
    assert web_for(tenant_a, org.outsider).get("/oa/leave/").status_code == 403
    assert leave_rows(tenant_a) == before
    leave = make_leave(tenant_a, org.r1)
    set_module(tenant_b, "oa", True)
    assert web_for(tenant_b, admin_b).get(f"/oa/leave/{leave.pk}/").status_code == 404
    set_module(tenant_a, "oa", False)
    assert web_for(tenant_a, org.r1).get("/oa/leave/").status_code == 404
