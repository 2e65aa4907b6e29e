"""What each CRM list exports (CSV or Excel). The API's ``export`` action and
the pages' export links both use these, so the files are identical."""

from core.exports import TableExport


def _name(obj) -> str:
    return str(obj) if obj is not None else ""


def _email(user) -> str:
    return user.email if user is not None else ""


CUSTOMER_EXPORT = TableExport("customers", (
    ("id", lambda c: c.pk),
    ("name", lambda c: c.name),
    ("kind", lambda c: c.kind),
    ("grade", lambda c: c.grade),
    ("region", lambda c: c.region),
    ("industry", lambda c: c.industry),
    ("phone", lambda c: c.phone),
    ("tax_id", lambda c: c.tax_id),
    ("source", lambda c: c.source),
    ("credit_rating", lambda c: c.credit_rating),
    ("credit_limit", lambda c: c.credit_limit),
    ("owner", lambda c: _name(c.owner)),
    ("owner_email", lambda c: _email(c.owner)),
    ("department", lambda c: _name(c.department)),
))

CONTACT_EXPORT = TableExport("contacts", (
    ("id", lambda c: c.pk),
    ("customer", lambda c: c.customer.name),
    ("name", lambda c: c.name),
    ("title", lambda c: c.title),
    ("phone", lambda c: c.phone),
    ("email", lambda c: c.email),
    ("is_primary", lambda c: c.is_primary),
))

OPPORTUNITY_EXPORT = TableExport("opportunities", (
    ("id", lambda o: o.pk),
    ("customer", lambda o: o.customer.name),
    ("project", lambda o: o.project),
    ("kind", lambda o: o.kind),
    ("source", lambda o: o.source),
    ("stage", lambda o: o.stage),
    ("amount", lambda o: o.amount),
    ("currency", lambda o: o.currency),
    ("probability", lambda o: o.probability),
    ("expected_close", lambda o: o.expected_close),
    ("owner", lambda o: _name(o.owner)),
    ("owner_email", lambda o: _email(o.owner)),
    ("department", lambda o: _name(o.department)),
    ("last_follow_up_at", lambda o: o.last_follow_up_at),
    ("stale_since", lambda o: o.stale_since),
    ("closed_at", lambda o: o.closed_at),
    ("lost_reason", lambda o: o.lost_reason),
))

FOLLOW_UP_EXPORT = TableExport("follow-ups", (
    ("id", lambda f: f.pk),
    ("customer", lambda f: f.customer.name),
    ("opportunity", lambda f: _name(f.opportunity)),
    ("kind", lambda f: f.kind),
    ("happened_at", lambda f: f.happened_at),
    ("summary", lambda f: f.summary),
    ("next_action", lambda f: f.next_action),
    ("next_action_on", lambda f: f.next_action_on),
    ("author", lambda f: _name(f.author)),
))

QUOTE_EXPORT = TableExport("quotes", (
    ("id", lambda q: q.pk),
    ("number", lambda q: q.number),
    ("customer", lambda q: q.customer.name),
    ("opportunity", lambda q: _name(q.opportunity)),
    ("title", lambda q: q.title),
    ("state", lambda q: q.state),
    ("currency", lambda q: q.currency),
    ("subtotal", lambda q: q.subtotal),
    ("tax_total", lambda q: q.tax_total),
    ("total", lambda q: q.total),
    ("valid_until", lambda q: q.valid_until),
    ("owner", lambda q: _name(q.owner)),
    ("owner_email", lambda q: _email(q.owner)),
))

LEAD_EXPORT = TableExport("web-leads", (
    ("id", lambda lead: lead.pk),
    ("received_at", lambda lead: lead.created_at),
    ("status", lambda lead: lead.status),
    ("company_name", lambda lead: lead.company_name),
    ("contact_name", lambda lead: lead.contact_name),
    ("phone", lambda lead: lead.phone),
    ("email", lambda lead: lead.email),
    ("product", lambda lead: _name(lead.product)),
    ("message", lambda lead: lead.message),
    ("assignee", lambda lead: _name(lead.assignee)),
    ("customer", lambda lead: _name(lead.customer)),
    ("opportunity", lambda lead: _name(lead.opportunity)),
    ("decided_at", lambda lead: lead.decided_at),
    ("reject_reason", lambda lead: lead.reject_reason),
))

COMPETITOR_PRODUCT_EXPORT = TableExport("competitor-products", (
    ("id", lambda p: p.pk),
    ("competitor", lambda p: p.competitor.name),
    ("name", lambda p: p.name),
    ("model", lambda p: p.model),
    ("price", lambda p: p.price),
    ("currency", lambda p: p.currency),
    ("our_product_sku", lambda p: p.our_product.sku if p.our_product else ""),
    ("strengths", lambda p: p.strengths),
    ("weaknesses", lambda p: p.weaknesses),
    ("strategy", lambda p: p.strategy),
    ("last_seen_on", lambda p: p.last_seen_on),
))

OPPORTUNITY_COMPETITOR_EXPORT = TableExport("opportunity-competitors", (
    ("id", lambda e: e.pk),
    ("opportunity", lambda e: e.opportunity.project),
    ("competitor", lambda e: e.competitor.name),
    ("quoted_price", lambda e: e.quoted_price),
    ("currency", lambda e: e.currency),
    ("threat_level", lambda e: e.threat_level),
    ("notes", lambda e: e.notes),
))

COMPLAINT_EXPORT = TableExport("complaints", (
    ("id", lambda c: c.pk),
    ("customer", lambda c: c.customer.name),
    ("opportunity", lambda c: _name(c.opportunity)),
    ("product", lambda c: c.product.sku if c.product else ""),
    ("kind", lambda c: c.kind),
    ("severity", lambda c: c.severity),
    ("subject", lambda c: c.subject),
    ("status", lambda c: c.status),
    ("assignee", lambda c: _name(c.assignee)),
    ("received_at", lambda c: c.received_at),
    ("resolved_at", lambda c: c.resolved_at),
    ("resolution", lambda c: c.resolution),
))

BID_EXPORT = TableExport("bids", (
    ("id", lambda b: b.pk),
    ("customer", lambda b: b.opportunity.customer.name),
    ("opportunity", lambda b: b.opportunity.project),
    ("tender_number", lambda b: b.tender_number),
    ("tendering_party", lambda b: b.tendering_party),
    ("bid_date", lambda b: b.bid_date),
    ("amount", lambda b: b.amount),
    ("deposit", lambda b: b.deposit),
    ("currency", lambda b: b.currency),
    ("result", lambda b: b.result),
    ("notes", lambda b: b.notes),
))
