"""Scoped, prefetching reads of categories and products (web, API, exports)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.expressions import RawSQL

from core.access import restrict
from core.trees import flatten, nest, subtree_ids

from .models import Category, Product


def category_subtree_ids(category: Category | str) -> RawSQL:
    """A subquery of the ids of ``category`` and every category below it."""
    return subtree_ids(Category, category)


def _count_of(model, fk: str):
    """Correlated COUNT subquery (no GROUP BY, no row multiplication)."""
    rows = model.objects.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def category_list(*, user) -> QuerySet[Category]:
    """Categories the caller may view, with the parent and counts lists show."""
    return restrict(
        Category.objects.select_related("parent").annotate(
            product_count=_count_of(Product, "category"), child_count=_count_of(Category, "parent")
        ),
        user,
        "core.category.view",
    )


def category_tree(*, user) -> list[dict]:
    """The visible categories as nested ``{"node", "depth", "children"}``
    dicts, depth first and sorted by name (one query)."""
    return nest(category_list(user=user).order_by("name"))


def category_flat_tree(*, user) -> list[tuple[Category, int]]:
    """``(category, depth)`` pairs in tree order, for indented lists and selects."""
    return flatten(category_tree(user=user))


def product_list(*, user) -> QuerySet[Product]:
    """Products the caller may view, with their category (and its parent)."""
    return restrict(
        Product.objects.select_related("category", "category__parent"), user, "core.product.view"
    )
