"""Scoped reads of customers: every list, detail and export goes through
:func:`customer_list`, so a user only ever reaches rows in their data scope."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import restrict

from .models import Customer


def customer_list(*, user, permission: str = "crm.customer.view") -> QuerySet[Customer]:
    """Customers the caller may see, with owner and department joined."""
    return restrict(Customer.objects.select_related("owner", "department"), user, permission)
