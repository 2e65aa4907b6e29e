"""Approval pages (thin: selectors read, services decide): the inbox, a
request with its history and action forms, delegations, and the flow
administration. A request the caller may not see answers 404, like the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.access import access_for
from core.errors import DomainError
from core.org.webutils import add_domain_error, permission_required

from . import selectors, services
from .forms import AddSignerForm, DecisionForm, DelegationForm, FlowForm, SettingsForm, StepFormSet, TransferForm
from .models import ApprovalRequest
from .registry import document_types
from .services.flows import current_steps

PAGE_SIZE = 25
BOXES = ("pending", "submitted", "involved")


@login_required
def inbox(request):
    """My pending approvals (with quick approve/reject), what I submitted, and
    everything I am or was involved in."""
    box = request.GET.get("box") if request.GET.get("box") in BOXES else "pending"
    if box == "pending":
        requests = selectors.pending_for(user=request.user)
    elif box == "submitted":
        requests = selectors.request_list(user=request.user).filter(submitter=request.user)
    else:
        requests = selectors.request_list(user=request.user)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    titles = dict(document_types.choices())
    for approval in page:
        approval.type_title = titles.get(approval.document_type, approval.document_type)
    return render(request, "approvals/inbox.html", {
        "box": box, "page_obj": page, "pending_count": selectors.pending_for(user=request.user).count(),
    })


def _visible(request, pk) -> ApprovalRequest:
    try:
        return selectors.request_detail(user=request.user, pk=pk)
    except ApprovalRequest.DoesNotExist:
        raise Http404 from None


def _detail_context(request, approval, forms=None) -> dict:
    forms = forms or {}
    doc_type = document_types.get(approval.document_type)
    document_url = None
    if doc_type is not None and doc_type.url is not None and approval.document is not None:
        document_url = doc_type.url(approval.document)
    actions = services.actions_for(approval, request.user)
    return {
        "approval": approval, "doc_type_title": doc_type.title if doc_type else approval.document_type,
        "document_url": document_url, "actions": actions,
        "steps": [s for s in approval.steps.all() if s.round == approval.round],
        "earlier_steps": [s for s in approval.steps.all() if s.round != approval.round],
        "decisions": approval.decisions.all(),
        "decision_form": forms.get("decision") or DecisionForm(),
        "own_form": forms.get("own") or DecisionForm(prefix="own"),
        "transfer_form": forms.get("transfer") or TransferForm(prefix="transfer"),
        "signer_form": forms.get("add-signer") or AddSignerForm(prefix="signer"),
        "error": forms.get("error"),
    }


@login_required
def request_detail(request, pk):
    approval = _visible(request, pk)
    return render(request, "approvals/request_detail.html", _detail_context(request, approval))


ACTIONS = {
    "approve": (DecisionForm, None, services.approval_approve),
    "reject": (DecisionForm, None, services.approval_reject),
    "return": (DecisionForm, None, services.approval_return),
    "withdraw": (DecisionForm, "own", services.approval_withdraw),
    "urge": (DecisionForm, "own", services.approval_urge),
    "transfer": (TransferForm, "transfer", services.approval_transfer),
    "add-signer": (AddSignerForm, "signer", services.approval_add_signer),
}
DONE_MESSAGES = {
    "approve": gettext_lazy("You approved “%(title)s”."),
    "reject": gettext_lazy("You rejected “%(title)s”."),
    "return": gettext_lazy("You returned “%(title)s” for edit."),
    "withdraw": gettext_lazy("You withdrew “%(title)s”."),
    "urge": gettext_lazy("The approvers of “%(title)s” have been reminded."),
    "transfer": gettext_lazy("You transferred “%(title)s”."),
    "add-signer": gettext_lazy("A signer was added to “%(title)s”."),
}


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def request_action(request, pk, action):
    """POST an action; refusals re-render the request with the reason and the
    API's status (400 for a field, 403, 409 or 429 for the action itself)."""
    if action not in ACTIONS:
        raise Http404
    approval = _visible(request, pk)
    form_class, prefix, service = ACTIONS[action]
    form = form_class(request.POST, prefix=prefix)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        if action == "transfer":
            data["to_user"] = data.pop("user")
        try:
            service(request=approval, by=request.user, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, str(DONE_MESSAGES[action]) % {"title": approval.title})
            return redirect(_next_url(request, services.request_link(approval)))
    approval = _visible(request, pk)
    key = {"transfer": "transfer", "add-signer": "add-signer", "withdraw": "own", "urge": "own"}.get(action, "decision")
    context = _detail_context(request, approval, {key: form, "error": form.non_field_errors()})
    return render(request, "approvals/request_detail.html", context, status=status)


# ------------------------------------------------------------ delegations


@login_required
@require_http_methods(["GET", "POST"])
def delegation_list(request):
    form = DelegationForm(request.POST or None, exclude_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Delegation saved."))
            return redirect("approvals:delegation-list")
    delegations = selectors.delegation_list(user=request.user)
    return render(request, "approvals/delegation_list.html", {
        "form": form, "delegations": delegations.order_by("-starts_at")[:100], "now": timezone.now(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def delegation_end(request, pk):
    delegation = get_object_or_404(selectors.delegation_list(user=request.user), pk=pk)
    try:
        services.delegation_end(delegation=delegation, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delegation ended."))
    return redirect("approvals:delegation-list")


# ------------------------------------------------------------------ flows


@permission_required("core.approval_flow.view")
@require_http_methods(["GET", "POST"])
def flow_list(request):
    access = access_for(request.user)
    settings_form = SettingsForm(request.POST or None, instance=services.approval_settings()) if access.is_admin \
        else None
    if request.method == "POST":
        if settings_form is None:
            raise PermissionDenied
        if settings_form.is_valid():
            try:
                services.approval_settings_update(
                    by=request.user, reminder_after_hours=settings_form.cleaned_data["reminder_after_hours"])
            except DomainError as exc:
                add_domain_error(settings_form, exc)
            else:
                messages.success(request, _("Approval settings saved."))
                return redirect("approvals:flow-list")
    flows = list(selectors.flow_list(user=request.user))
    titles = dict(document_types.choices())
    for flow in flows:
        flow.type_title = titles.get(flow.document_type, flow.document_type)
    return render(request, "approvals/flow_list.html", {
        "flows": flows, "settings_form": settings_form,
        "can_add": access.can("core.approval_flow.add"), "can_change": access.can("core.approval_flow.change"),
        "can_delete": access.can("core.approval_flow.delete"),
        "unflowed": [t for t in document_types.all() if not any(f.document_type == t.key for f in flows)],
    }, status=400 if settings_form is not None and settings_form.errors else 200)


def _place_errors(form, formset, exc: DomainError) -> None:
    """Put ``steps.<i>.<field>`` errors on the step rows, the rest on the flow form."""
    rows = [f for f in formset.ordered_forms if not f.is_blank] if formset.is_bound and formset.is_valid() else []
    rest = {}
    for name, errors in exc.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "steps" and parts[1].isdigit() and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            for error in errors:
                row.add_error(parts[2] if parts[2] in row.fields else None, error)
        else:
            rest[name] = errors
    add_domain_error(form, DomainError(exc.message, code=exc.code, fields=rest))


def _flow_page(request, flow=None):
    editing = flow is not None
    initial = {}
    steps_initial = []
    if editing:
        initial = {"document_type": flow.document_type, "name": flow.name, "description": flow.description,
                   "is_active": flow.is_active}
        steps_initial = [
            {**step, "role": getattr(step["role"], "pk", None), "user": getattr(step["user"], "pk", None)}
            for step in current_steps(flow)
        ]
    else:
        initial = {"document_type": request.GET.get("document_type", ""), "is_active": True}
    form = FlowForm(request.POST or None, initial=initial, editing=editing)
    formset = StepFormSet(request.POST or None, initial=steps_initial, prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        try:
            if editing:
                data.pop("document_type")
                flow = services.flow_update(flow=flow, by=request.user, steps=formset.steps(), **data)
            else:
                flow = services.flow_create(by=request.user, steps=formset.steps(), **data)
        except DomainError as exc:
            _place_errors(form, formset, exc)
        else:
            messages.success(request, _("Approval flow “%(name)s” saved (version %(n)d).")
                             % {"name": flow.name, "n": flow.current_version.number})
            return redirect("approvals:flow-list")
    failed = bool(form.errors or any(formset.errors) or formset.non_form_errors())
    return render(request, "approvals/flow_form.html", {"form": form, "formset": formset, "flow": flow},
                  status=400 if failed else 200)


@permission_required("core.approval_flow.add")
@require_http_methods(["GET", "POST"])
def flow_create(request):
    return _flow_page(request)


@permission_required("core.approval_flow.change")
@require_http_methods(["GET", "POST"])
def flow_edit(request, pk):
    flow = get_object_or_404(selectors.flow_list(user=request.user, permission="core.approval_flow.change"), pk=pk)
    return _flow_page(request, flow)


@permission_required("core.approval_flow.delete")
@require_http_methods(["GET", "POST"])
def flow_delete(request, pk):
    flow = get_object_or_404(selectors.flow_list(user=request.user, permission="core.approval_flow.delete"), pk=pk)
    if request.method == "POST":
        try:
            services.flow_delete(flow=flow, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Approval flow “%(name)s” deleted.") % {"name": flow.name})
        return redirect("approvals:flow-list")
    return render(request, "approvals/flow_confirm_delete.html", {"flow": flow})

