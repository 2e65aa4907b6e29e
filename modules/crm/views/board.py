"""The tabs of the opportunity board (商机看板). Each tab names the permission
that shows it, its template and what it loads — through the scoped selectors,
so a tab never shows rows outside the viewer's data scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models.opportunities import CLOSED_STAGES


@dataclass(frozen=True)
class BoardTab:
    key: str
    label: str
    permission: str
    template: str
    load: Callable  # (user, opportunity, access) -> context


def _follow_ups(user, opportunity, access):
    return {"follow_ups": selectors.follow_up_list(user=user).filter(opportunity=opportunity)}


def _plans(user, opportunity, access):
    """What is planned next: follow-ups with a next action from today on."""
    return {"plans": selectors.follow_up_list(user=user).filter(
        opportunity=opportunity, next_action_on__gte=timezone.localdate()).order_by("next_action_on")}


def _contacts(user, opportunity, access):
    return {"contacts": selectors.contact_list(user=user).filter(customer_id=opportunity.customer_id)}


def _competitors(user, opportunity, access):
    return {"opportunity_competitors": selectors.opportunity_competitor_list(user=user).filter(opportunity=opportunity),
            "can_add_competitor": access.can("crm.competitor.add") and opportunity.is_open}


def _bids(user, opportunity, access):
    return {"bids": selectors.bid_list(user=user).filter(opportunity=opportunity),
            "can_add_bid": access.can("crm.bid.add")}


def _quotes(user, opportunity, access):
    return {"quotes": selectors.quote_list(user=user).filter(opportunity=opportunity)}


def _outcome(user, opportunity, access):
    """Won/lost record: the close itself and the quotes that were decided."""
    return {"closed": opportunity.stage in CLOSED_STAGES,
            "decided_quotes": selectors.quote_list(user=user).filter(
                opportunity=opportunity, closed_at__isnull=False).order_by("-closed_at")}


def _owner_changes(user, opportunity, access):
    return {"owner_changes": selectors.owner_change_list(user=user).filter(opportunity=opportunity)}


BOARD_TABS = (
    BoardTab("follow-ups", _("Follow-ups"), "crm.followup.view", "crm/board/_follow_ups.html", _follow_ups),
    BoardTab("plans", _("Plans & reminders"), "crm.followup.view", "crm/board/_plans.html", _plans),
    BoardTab("contacts", _("Contacts"), "crm.contact.view", "crm/board/_contacts.html", _contacts),
    BoardTab("competitors", _("Competitors"), "crm.competitor.view", "crm/board/_competitors.html", _competitors),
    BoardTab("bids", _("Bids"), "crm.bid.view", "crm/board/_bids.html", _bids),
    BoardTab("quotes", _("Quotes"), "crm.quote.view", "crm/board/_quotes.html", _quotes),
    BoardTab("outcome", _("Won / lost"), "crm.opportunity.view", "crm/board/_outcome.html", _outcome),
    BoardTab("owners", _("Owner changes"), "crm.customer.view", "crm/board/_owner_changes.html", _owner_changes),
)
