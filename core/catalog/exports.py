"""What the product list exports (API and page share it)."""

from core.exports import TableExport

PRODUCT_EXPORT = TableExport("products", (
    ("id", lambda p: p.pk),
    ("sku", lambda p: p.sku),
    ("name", lambda p: p.name),
    ("category", lambda p: p.category.name if p.category else ""),
    ("unit", lambda p: p.unit),
    ("currency", lambda p: p.currency),
    ("list_price", lambda p: p.list_price),
    ("cost", lambda p: p.cost),
    ("is_active", lambda p: p.is_active),
))
