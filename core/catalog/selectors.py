"""Scoped, prefetching reads of categories and products (web, API, exports)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.expressions import RawSQL

from core.access import restrict

from .models import Category, Product

# A category and all its descendants (one query, however deep the tree).
CATEGORY_TREE_IDS_SQL = (
    "WITH RECURSIVE tree AS ("
    " SELECT id FROM catalog_category WHERE id = %s"
    " UNION SELECT c.id FROM catalog_category c JOIN tree ON c.parent_id = tree.id"
    ") SELECT id FROM tree"
)


def category_subtree_ids(category: Category | str) -> RawSQL:
    """A subquery of the ids of ``category`` and every category below it."""
    pk = getattr(category, "pk", category)
    return RawSQL(CATEGORY_TREE_IDS_SQL, [pk])


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
    """The visible categories as nested ``{"category", "depth", "children"}``
    nodes, depth first and sorted by name (one query)."""
    categories = list(category_list(user=user).order_by("name"))
    by_parent: dict = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)

    def build(parent_id, depth: int, seen: frozenset) -> list[dict]:
        nodes = []
        for category in by_parent.get(parent_id, []):
            if category.pk in seen:  # defensive: a cycle must never hang the page
                continue
            nodes.append(
                {"category": category, "depth": depth, "children": build(category.pk, depth + 1, seen | {category.pk})}
            )
        return nodes

    return build(None, 0, frozenset())


def category_flat_tree(*, user) -> list[tuple[Category, int]]:
    """``(category, depth)`` pairs in tree order, for indented lists and selects."""
    flat: list[tuple[Category, int]] = []

    def walk(nodes):
        for node in nodes:
            flat.append((node["category"], node["depth"]))
            walk(node["children"])

    walk(category_tree(user=user))
    return flat


def product_list(*, user) -> QuerySet[Product]:
    """Products the caller may view, with their category (and its parent)."""
    return restrict(
        Product.objects.select_related("category", "category__parent"), user, "core.product.view"
    )
