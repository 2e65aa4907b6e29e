"""Leave requests and expense claims (drafts, submitted into the approval engine)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.approvals.selectors import history_for
from core.approvals.services import open_request_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from .. import selectors, services
from ..filters import LeaveRequestFilterSet
from ..forms import ExpenseClaimForm, LeaveRequestForm
from ..models import EDITABLE_STATES, ApprovalState
from ._common import PAGE_SIZE, form_page


def _approval_context(document):
    request = open_request_for(document)
    return {"approval": request, "history": history_for(document),
            "editable": document.state in EDITABLE_STATES}


@permission_required("oa.leave_request.view")
def leave_list(request):
    filterset = LeaveRequestFilterSet(request.GET, queryset=selectors.leave_list(user=request.user))
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render(request, "oa/leave_list.html", {
        "filter": filterset, "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_add": access_for(request.user).can("oa.leave_request.add"),
    })


@permission_required("oa.leave_request.view")
def leave_detail(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return render(request, "oa/leave_detail.html", {"leave": leave, "mine": leave.requester_id == request.user.pk,
                                                    **_approval_context(leave)})


@permission_required("oa.leave_request.add")
@require_http_methods(["GET", "POST"])
def leave_create(request):
    form = LeaveRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Leave request saved as a draft. Submit it when ready."))
            return redirect("oa:leave-detail", pk=leave.pk)
    return form_page(request, "oa/leave_form.html", form)


@permission_required("oa.leave_request.change")
@require_http_methods(["GET", "POST"])
def leave_edit(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    form = LeaveRequestForm(request.POST or None, initial={
        "kind": leave.kind, "starts_on": leave.starts_on, "ends_on": leave.ends_on, "days": leave.days,
        "reason": leave.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_request_update(leave=leave, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Leave request saved."))
            return redirect("oa:leave-detail", pk=leave.pk)
    return form_page(request, "oa/leave_form.html", form, {"leave": leave})


def _document_action(request, document, service, kwarg, done, target):
    try:
        service(**{kwarg: document}, by=request.user, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(target, pk=document.pk)


@permission_required("oa.leave_request.change")
@require_POST
def leave_submit(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return _document_action(request, leave, services.leave_request_submit, "leave",
                            _("Leave request submitted for approval."), "oa:leave-detail")


@permission_required("oa.leave_request.change")
@require_POST
def leave_withdraw(request, pk):
    leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
    return _document_action(request, leave, services.leave_request_withdraw, "leave",
                            _("Leave request withdrawn."), "oa:leave-detail")


@permission_required("oa.expense_claim.view")
def expense_list(request):
    rows = selectors.expense_list(user=request.user)
    state = request.GET.get("state")
    if state in ApprovalState.values:
        rows = rows.filter(state=state)
    return render(request, "oa/expense_list.html", {
        "page_obj": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "states": ApprovalState.choices,
        "state": state, "can_add": access_for(request.user).can("oa.expense_claim.add"),
    })


@permission_required("oa.expense_claim.view")
def expense_detail(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return render(request, "oa/expense_detail.html", {"claim": claim, "mine": claim.claimant_id == request.user.pk,
                                                      **_approval_context(claim)})


@permission_required("oa.expense_claim.add")
@require_http_methods(["GET", "POST"])
def expense_create(request):
    form = ExpenseClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.expense_claim_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Expense claim saved as a draft. Submit it when ready."))
            return redirect("oa:expense-detail", pk=claim.pk)
    return form_page(request, "oa/expense_form.html", form)


@permission_required("oa.expense_claim.change")
@require_http_methods(["GET", "POST"])
def expense_edit(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    form = ExpenseClaimForm(request.POST or None, initial={
        "title": claim.title, "amount": claim.amount, "currency": claim.currency, "spent_on": claim.spent_on,
        "description": claim.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_claim_update(claim=claim, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Expense claim saved."))
            return redirect("oa:expense-detail", pk=claim.pk)
    return form_page(request, "oa/expense_form.html", form, {"claim": claim})


@permission_required("oa.expense_claim.change")
@require_POST
def expense_submit(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return _document_action(request, claim, services.expense_claim_submit, "claim",
                            _("Expense claim submitted for approval."), "oa:expense-detail")


@permission_required("oa.expense_claim.change")
@require_POST
def expense_withdraw(request, pk):
    claim = get_object_or_404(selectors.expense_list(user=request.user), pk=pk)
    return _document_action(request, claim, services.expense_claim_withdraw, "claim",
                            _("Expense claim withdrawn."), "oa:expense-detail")
