"""Every change to approval flows, requests and delegations (one function per
use case, atomic, taking the acting user). Web pages and the API call these."""

from .delegations import active_delegates, active_delegators, delegation_create, delegation_end
from .engine import (
    URGE_INTERVAL, actions_for, approval_add_signer, approval_approve, approval_reject, approval_return,
    approval_submit, approval_submit_by_id, approval_transfer, approval_urge, approval_withdraw, open_request_for,
    request_link, step_label,
)
from .flows import approval_settings, approval_settings_update, flow_create, flow_delete, flow_update

__all__ = [
    "URGE_INTERVAL", "actions_for", "active_delegates", "active_delegators", "approval_add_signer",
    "approval_approve", "approval_reject", "approval_return", "approval_settings", "approval_settings_update",
    "approval_submit", "approval_submit_by_id", "approval_transfer", "approval_urge", "approval_withdraw",
    "delegation_create", "delegation_end", "flow_create", "flow_delete", "flow_update", "open_request_for",
    "request_link", "step_label",
]
