"""CRM pages (thin: selectors apply the data scope, services write). A record
outside the caller's scope answers 404, like the API."""

from .bids import bid_create, bid_delete, bid_edit  # noqa: F401
from .competitors import (  # noqa: F401
    competitor_compare, competitor_detail, competitor_export, competitor_list, competitor_product_create,
    competitor_product_delete, competitor_product_edit, opportunity_competitor_create, opportunity_competitor_delete,
    opportunity_competitor_edit,
)
from .customers import (  # noqa: F401
    customer_create, customer_delete, customer_detail, customer_edit, customer_export, customer_import,
    customer_import_template, customer_list,
)
from .feedback import (  # noqa: F401
    complaint_create, complaint_delete, complaint_detail, complaint_edit, complaint_export, complaint_list,
    complaint_status,
)
from .knowledge import (  # noqa: F401
    article_category_create, article_category_delete, article_category_edit, article_category_list, article_create,
    article_delete, article_detail, article_edit, article_list,
)
from .leads import (  # noqa: F401
    lead_delete, lead_detail, lead_export, lead_list, lead_qualify, lead_reject, crm_settings, web_lead_form,
    web_lead_thanks,
)
from .opportunities import (  # noqa: F401
    contact_create, follow_up_create, follow_up_export, follow_up_list, opportunity_create, opportunity_detail,
    opportunity_edit, opportunity_export, opportunity_list, reassignment_detail, reassignment_list,
)
from .pipeline import opportunity_move, pipeline_analysis, pipeline_board  # noqa: F401
from .quotes import (  # noqa: F401
    quote_copy, quote_create, quote_delete, quote_detail, quote_edit, quote_export, quote_list, quote_lost, quote_print,
    quote_submit, quote_withdraw, quote_won,
)
