"""CRM pages (thin: selectors apply the data scope, services write). A record
outside the caller's scope answers 404, like the API."""

from .customers import (  # noqa: F401
    customer_create, customer_delete, customer_detail, customer_edit, customer_export, customer_list,
)
from .opportunities import (  # noqa: F401
    contact_create, follow_up_create, follow_up_list, opportunity_create, opportunity_detail, opportunity_edit,
    opportunity_list, reassignment_detail, reassignment_list,
)
from .quotes import (  # noqa: F401
    quote_copy, quote_create, quote_delete, quote_detail, quote_edit, quote_list, quote_lost, quote_print,
    quote_submit, quote_withdraw, quote_won,
)
