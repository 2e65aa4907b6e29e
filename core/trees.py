"""Helpers for self-referencing trees (a ``parent`` foreign key to the same
model), shared by product categories and the CRM knowledge-base categories."""

from __future__ import annotations

from django.db.models import Model
from django.db.models.expressions import RawSQL


def subtree_ids(model: type[Model], node) -> RawSQL:
    """A subquery of the ids of ``node`` (an instance or a pk) and every row
    below it (one recursive query, however deep the tree). The table name
    comes from the model, never from input."""
    table = model._meta.db_table
    sql = (
        "WITH RECURSIVE tree AS ("
        f" SELECT id FROM {table} WHERE id = %s"
        f" UNION SELECT c.id FROM {table} c JOIN tree ON c.parent_id = tree.id"
        ") SELECT id FROM tree"
    )
    return RawSQL(sql, [getattr(node, "pk", node)])


def nest(rows) -> list[dict]:
    """``rows`` (in the order siblings should appear) as nested
    ``{"node", "depth", "children"}`` dicts, roots first; a cycle never hangs."""
    by_parent: dict = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(parent_id, depth: int, seen: frozenset) -> list[dict]:
        nodes = []
        for row in by_parent.get(parent_id, []):
            if row.pk in seen:
                continue
            nodes.append({"node": row, "depth": depth, "children": build(row.pk, depth + 1, seen | {row.pk})})
        return nodes

    return build(None, 0, frozenset())


def flatten(nodes: list[dict]) -> list[tuple[Model, int]]:
    """``(row, depth)`` pairs in tree order (depth first), for indented lists."""
    flat: list[tuple[Model, int]] = []

    def walk(level):
        for entry in level:
            flat.append((entry["node"], entry["depth"]))
            walk(entry["children"])

    walk(nodes)
    return flat


def indented_choices(flat, *, excluded=frozenset(), empty_label="---------") -> list[tuple[str, str]]:
    """``(id, "— " * depth + name)`` select choices in tree order, after an empty choice."""
    return [("", empty_label)] + [(str(row.pk), "— " * depth + str(row)) for row, depth in flat
                                  if row.pk not in excluded]
