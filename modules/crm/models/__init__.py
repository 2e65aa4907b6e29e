"""CRM data, one file per area; import from ``modules.crm.models``."""

from .customers import Contact, Customer
from .opportunities import (
    CrmSettings, FollowUp, Opportunity, OwnerChange, ReassignmentJob,
)
from .quotes import Quote, QuoteLine

__all__ = ["Contact", "CrmSettings", "Customer", "FollowUp", "Opportunity", "OwnerChange", "Quote", "QuoteLine",
           "ReassignmentJob"]
