"""CRM services: every change with a business rule, one function per use case
(validated, audited, atomic). Web pages, the API and tasks all call these."""

from .bids import bid_create, bid_delete, bid_update
from .competitors import (
    competitor_product_create, competitor_product_delete, competitor_product_update, opportunity_competitor_add,
    opportunity_competitor_remove, opportunity_competitor_update,
)
from .customers import UNSET, customer_create, customer_delete, customer_reassign, customer_update
from .feedback import complaint_create, complaint_delete, complaint_set_status, complaint_update
from .followups import (
    contact_create, contact_delete, contact_update, follow_up_create, follow_up_delete, follow_up_update,
)
from .knowledge import (
    article_category_create, article_category_delete, article_category_update, article_create, article_delete,
    article_update,
)
from .leads import (
    LeadRateLimited, lead_delete, lead_qualify, lead_reject, lead_submit,
)
from .opportunities import (
    opportunity_create, opportunity_delete, opportunity_reassign, opportunity_set_stage, opportunity_update,
)
from .quotes import (
    quote_copy, quote_create, quote_delete, quote_mark_lost, quote_mark_won, quote_submit, quote_update,
    quote_withdraw,
)
from .reassignment import reassignment_run, reassignment_start
from .settings import crm_settings, crm_settings_update

__all__ = [
    "article_category_create", "article_category_delete", "article_category_update", "article_create",
    "article_delete", "article_update", "competitor_product_create", "competitor_product_delete",
    "competitor_product_update", "complaint_create", "complaint_delete", "complaint_set_status", "complaint_update",
    "opportunity_competitor_add", "opportunity_competitor_remove", "opportunity_competitor_update",
    "UNSET", "contact_create", "contact_delete", "contact_update", "customer_create", "customer_delete",
    "customer_reassign", "customer_update", "follow_up_create", "follow_up_delete", "follow_up_update",
    "opportunity_create", "opportunity_delete", "opportunity_reassign", "opportunity_set_stage",
    "opportunity_update", "quote_copy", "quote_create", "quote_delete", "quote_mark_lost", "quote_mark_won",
    "quote_submit", "quote_update", "quote_withdraw", "reassignment_run", "reassignment_start",
    "LeadRateLimited", "bid_create", "bid_delete", "bid_update", "crm_settings", "crm_settings_update",
    "lead_delete", "lead_qualify", "lead_reject", "lead_submit",
]
