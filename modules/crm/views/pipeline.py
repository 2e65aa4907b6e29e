"""The pipeline pages: the kanban board by stage (drag a card to move the
opportunity; a small form does the same without JavaScript) and the analysis
page (funnel, by source / region / rep, forecast per rep)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import access_for
from core.errors import DomainError, error_body, wants_json
from core.listing import filter_list
from core.org.webutils import permission_required

from .. import selectors, services
from ..filters import OpportunityFilterSet
from ..models import Opportunity
from ..pipeline import CARDS_PER_COLUMN, CLOSED_SHOWN_DAYS, HISTORY_DAYS, board_columns, pipeline_summary


def _pipeline(request):
    return filter_list(request, OpportunityFilterSet,
                       selectors.opportunity_list(user=request.user).select_related("customer"))


@permission_required("crm.opportunity.view")
def pipeline_board(request):
    listing = _pipeline(request)
    return render(request, "crm/pipeline_board.html", {
        "filter": listing.filter, "columns": board_columns(listing.rows), "stages": Opportunity.Stage.choices,
        "can_move": access_for(request.user).can("crm.opportunity.change"),
        "cards_per_column": CARDS_PER_COLUMN, "closed_days": CLOSED_SHOWN_DAYS,
    }, status=listing.status)


@permission_required("crm.opportunity.view")
def pipeline_analysis(request):
    listing = _pipeline(request)
    summary = pipeline_summary(listing.rows)
    return render(request, "crm/pipeline_analysis.html", {
        "filter": listing.filter, "summary": summary, "chart": summary.chart_data(), "history_days": HISTORY_DAYS,
    }, status=listing.status)


@permission_required("crm.opportunity.change")
@require_POST
def opportunity_move(request, pk):
    """Set the stage (``stage``, ``lost_reason``). Answers JSON to the board's
    script, or redirects back with a message to a plain form post."""
    opportunity = get_object_or_404(selectors.opportunity_list(user=request.user), pk=pk)
    try:
        opportunity = services.opportunity_set_stage(opportunity=opportunity, by=request.user,
                                                     stage=request.POST.get("stage", ""),
                                                     lost_reason=request.POST.get("lost_reason", "").strip())
    except DomainError as exc:
        if wants_json(request):
            return JsonResponse(error_body(exc.code, exc.message, exc.fields), status=exc.status)
        messages.error(request, "; ".join([exc.message] + [m for msgs in exc.fields.values() for m in msgs]))
    else:
        if wants_json(request):
            return JsonResponse({"id": str(opportunity.pk), "stage": opportunity.stage,
                                 "probability": opportunity.probability})
        messages.success(request, _("%(name)s moved to %(stage)s.") % {
            "name": opportunity.project, "stage": opportunity.get_stage_display()})
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("crm:pipeline-board")
