"""CRM services: every change with a business rule, one function per use case
(validated, audited, atomic). Web pages, the API and tasks all call these."""

from .customers import UNSET, customer_create, customer_delete, customer_reassign, customer_update
from .followups import (
    contact_create, contact_delete, contact_update, follow_up_create, follow_up_delete, follow_up_update,
)
from .opportunities import (
    opportunity_create, opportunity_delete, opportunity_reassign, opportunity_set_stage, opportunity_update,
)
from .quotes import (
    quote_copy, quote_create, quote_delete, quote_mark_lost, quote_mark_won, quote_submit, quote_update,
    quote_withdraw,
)
from .reassignment import reassignment_run, reassignment_start

__all__ = [
    "UNSET", "contact_create", "contact_delete", "contact_update", "customer_create", "customer_delete",
    "customer_reassign", "customer_update", "follow_up_create", "follow_up_delete", "follow_up_update",
    "opportunity_create", "opportunity_delete", "opportunity_reassign", "opportunity_set_stage",
    "opportunity_update", "quote_copy", "quote_create", "quote_delete", "quote_mark_lost", "quote_mark_won",
    "quote_submit", "quote_update", "quote_withdraw", "reassignment_run", "reassignment_start",
]
