"""Scoped reads: every list, detail and export goes through these, so a user
only ever reaches rows in their data scope (role permission + scope filter,
see core/access.py), with what the pages and the API show joined or prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.access import restrict

from .models import Contact, Customer, FollowUp, Opportunity, OwnerChange, Quote, QuoteLine, ReassignmentJob


def customer_list(*, user, permission: str = "crm.customer.view") -> QuerySet[Customer]:
    """Customers the caller may see, with owner and department joined."""
    return restrict(Customer.objects.select_related("owner", "department"), user, permission)


def contact_list(*, user, permission: str = "crm.contact.view") -> QuerySet[Contact]:
    """Contacts of the customers in the caller's scope."""
    return restrict(Contact.objects.select_related("customer"), user, permission)


def opportunity_list(*, user, permission: str = "crm.opportunity.view") -> QuerySet[Opportunity]:
    return restrict(Opportunity.objects.select_related("customer", "owner", "department"), user, permission)


def follow_up_list(*, user, permission: str = "crm.followup.view") -> QuerySet[FollowUp]:
    """Follow-ups on the customers in the caller's scope."""
    return restrict(FollowUp.objects.select_related("customer", "opportunity", "author"), user, permission)


def owner_change_list(*, user, permission: str = "crm.customer.view") -> QuerySet[OwnerChange]:
    """Hand-over history of the customers in the caller's scope."""
    return restrict(
        OwnerChange.objects.select_related("customer", "opportunity", "from_owner", "to_owner", "by"), user,
        permission,
    )


def reassignment_list(*, user, permission: str = "crm.customer.change") -> QuerySet[ReassignmentJob]:
    """Bulk reassignments the caller started (all of them for admins / "all" scope)."""
    return restrict(ReassignmentJob.objects.select_related("by", "to_owner", "to_department"), user, permission)


def quote_list(*, user, permission: str = "crm.quote.view") -> QuerySet[Quote]:
    """Quotes the caller may see (own / team / department per their scope), with
    customer, opportunity and owner joined (lines are not loaded)."""
    return restrict(Quote.objects.select_related("customer", "opportunity", "owner", "department", "copied_from"),
                    user, permission)


def quote_with_lines(*, user, permission: str = "crm.quote.view") -> QuerySet[Quote]:
    """:func:`quote_list` with the lines (and their products) prefetched in order."""
    return quote_list(user=user, permission=permission).prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.select_related("product").order_by("position")))
