"""CRM data, one file per area; import from ``modules.crm.models``."""

from .bids import Bid
from .competitors import CompetitorProduct, OpportunityCompetitor
from .customers import Contact, Customer
from .feedback import Complaint
from .knowledge import Article, ArticleCategory
from .leads import WebLead
from .opportunities import (
    CrmSettings, FollowUp, Opportunity, OwnerChange, ReassignmentJob,
)
from .quotes import Quote, QuoteLine

__all__ = ["Article", "ArticleCategory", "Bid", "CompetitorProduct", "Complaint", "Contact", "CrmSettings", "Customer",
           "FollowUp", "Opportunity", "OpportunityCompetitor", "OwnerChange", "Quote", "QuoteLine", "ReassignmentJob",
           "WebLead"]
