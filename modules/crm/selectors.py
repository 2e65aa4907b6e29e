"""Scoped reads: every list, detail and export goes through these, so a user
only ever reaches rows in their data scope (role permission + scope filter,
see core/access.py), with what the pages and the API show joined or prefetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Lower, Trim

from core.access import access_for, permitted, restrict
from core.catalog.models import Category, Product
from core.trees import flatten, nest, subtree_ids

from .models import (
    Article, ArticleCategory, Bid, CompetitorProduct, Complaint, Contact, Customer, FollowUp, Opportunity,
    OpportunityCompetitor, OwnerChange, Quote, QuoteLine, ReassignmentJob, WebLead,
)
from .models.competitors import price_difference


def customer_list(*, user, permission: str = "crm.customer.view") -> QuerySet[Customer]:
    """Customers the caller may see, with owner and department joined."""
    return restrict(Customer.objects.select_related("owner", "department"), user, permission)


@dataclass(frozen=True)
class DuplicateMatch:
    customer: Customer
    matched_on: tuple[str, ...]


def _digits(expression):
    return Func(expression, Value(r"\D"), Value(""), Value("g"), function="REGEXP_REPLACE")


def normalised_phone(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def customer_duplicates(*, name: str = "", tax_id: str = "", phone: str = "", exclude_pk=None) -> list[DuplicateMatch]:
    """Counterparties of the whole company sharing the name (case and outer
    spaces ignored), the tax id (spaces ignored) or the phone (digits only,
    at least 6). Company-wide on purpose: duplicate checks must see customers
    owned by other reps."""
    name, tax_id, digits = (name or "").strip().lower(), "".join((tax_id or "").split()).lower(), normalised_phone(phone)
    tests = {}
    if name:
        tests["name"] = Q(name_key=name)
    if tax_id:
        tests["tax_id"] = Q(tax_key=tax_id)
    if len(digits) >= 6:
        tests["phone"] = Q(phone_key=digits)
    if not tests:
        return []
    query = Q()
    for test in tests.values():
        query |= test
    candidates = (Customer.objects.select_related("owner")
                  .annotate(name_key=Lower(Trim("name")),
                            tax_key=Lower(Func(F("tax_id"), Value(r"\s"), Value(""), Value("g"),
                                               function="REGEXP_REPLACE")),
                            phone_key=_digits(F("phone")))
                  .filter(query).exclude(pk=exclude_pk)[:10])
    matches = []
    for customer in candidates:
        keys = {"name": customer.name_key, "tax_id": customer.tax_key, "phone": customer.phone_key}
        wanted = {"name": name, "tax_id": tax_id, "phone": digits}
        matches.append(DuplicateMatch(customer, tuple(f for f in tests if keys[f] == wanted[f])))
    return matches


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


# ------------------------------------------------------------- competitors


def competitor_list(*, user, permission: str = "crm.competitor.view") -> QuerySet[Customer]:
    """Counterparties of kind competitor, with how many products of theirs are
    on file. Competitor intelligence is shared by the whole company: the
    permission decides, not the data scope (the counterparty record itself
    stays scoped in the customer file)."""
    return permitted(Customer.objects.filter(kind=Customer.Kind.COMPETITOR).select_related("owner", "department")
                     .annotate(product_count=Count("competitor_products")).order_by("name"), user, permission)


def competitor_product_list(*, user, permission: str = "crm.competitor.view") -> QuerySet[CompetitorProduct]:
    """Competitors' products (shared like the competitors), with our comparable product."""
    return permitted(CompetitorProduct.objects.select_related("competitor", "our_product"), user, permission)


def opportunity_competitor_list(*, user, permission: str = "crm.competitor.view") -> QuerySet[OpportunityCompetitor]:
    """Competitors on the opportunities in the caller's scope."""
    return restrict(OpportunityCompetitor.objects.select_related("opportunity", "opportunity__owner", "competitor"),
                    user, permission)


def competitor_comparison(*, user, product: Product | None = None, category: Category | None = None) -> list[dict]:
    """Side by side: each of our products (``product``, or every product in
    ``category`` and below) with our list price, and every visible competitor
    product matched to it with the price difference (their − ours, exact;
    see :func:`price_difference`). Two queries."""
    if product is not None:
        ours = Product.objects.filter(pk=product.pk)
    elif category is not None:
        ours = Product.objects.filter(category__in=subtree_ids(Category, category))
    else:
        return []
    rows = {p.pk: {"product": p, "rivals": []} for p in ours.select_related("category").order_by("sku")}
    for rival in competitor_product_list(user=user).filter(our_product__in=list(rows)).order_by(
            "competitor__name", "name"):
        ours_row = rows[rival.our_product_id]
        mine = ours_row["product"]
        difference = price_difference(mine.list_price, mine.currency, rival.price, rival.currency)
        ours_row["rivals"].append({"item": rival, "difference": difference[0] if difference else None,
                                   "percent": difference[1] if difference else None})
    return list(rows.values())


# ------------------------------------------------------------- complaints


def complaint_list(*, user, permission: str = "crm.complaint.view") -> QuerySet[Complaint]:
    """Complaints and feedback of the customers in the caller's scope."""
    return restrict(Complaint.objects.select_related("customer", "opportunity", "product", "assignee", "recorded_by"),
                    user, permission)


# ------------------------------------------------------------- knowledge base


def article_category_list(*, user) -> QuerySet[ArticleCategory]:
    """Knowledge categories (company-wide) with their number of published articles."""
    return restrict(ArticleCategory.objects.select_related("parent").annotate(
        article_count=Count("articles", filter=Q(articles__is_published=True))).order_by("name"), user,
        "crm.article.view")


def article_category_tree(*, user) -> list[tuple[ArticleCategory, int]]:
    """``(category, depth)`` pairs in tree order, sorted by name (one query)."""
    return flatten(nest(article_category_list(user=user).order_by("name")))


def article_list(*, user, permission: str = "crm.article.view") -> QuerySet[Article]:
    """Published articles; drafts only to their author and to editors
    (``crm.article.change``)."""
    articles = restrict(Article.objects.select_related("category", "author"), user, permission)
    if access_for(user).can("crm.article.change"):
        return articles
    return articles.filter(Q(is_published=True) | Q(author_id=user.pk))


# ------------------------------------------------------------- web leads and bids


def lead_list(*, user, permission: str = "crm.lead.view") -> QuerySet[WebLead]:
    """Web leads assigned to the caller's scope (unassigned ones: "all" scope
    and administrators), with what the queue shows joined."""
    return restrict(WebLead.objects.select_related("product", "assignee", "customer", "opportunity", "decided_by"),
                    user, permission)


def bid_list(*, user, permission: str = "crm.bid.view") -> QuerySet[Bid]:
    """Bids on the opportunities in the caller's scope."""
    return restrict(Bid.objects.select_related("opportunity__customer"), user, permission)
