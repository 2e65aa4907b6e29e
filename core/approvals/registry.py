"""Document types that go through approval. A module registers each of its
document types once, from its AppConfig.ready():

    from core.approvals.registry import DocumentType, document_types

    document_types.register(DocumentType(
        key="crm.quote", model="crm.Quote", title=_("Quote"), module="crm",
        queryset=lambda user: selectors.quote_list(user=user, permission="crm.quote.change"),
        amount=lambda quote: (quote.total, quote.currency),
        url=lambda quote: reverse("crm:quote-detail", args=[quote.pk]),
        on_submitted=services.quote_mark_pending, on_approved=services.quote_mark_approved,
        on_rejected=..., on_returned=..., on_withdrawn=...,
    ))

Hooks are called as ``hook(document, request, by)`` inside the engine's
transaction, with the document row locked, so the document's state always
follows the request's. The model needs a UUID primary key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import models

Hook = Callable[[models.Model, object, object], None]


@dataclass(frozen=True)
class DocumentType:
    key: str
    model: str  # "app_label.ModelName"
    title: str
    # The documents ``user`` may submit (and whose approvals they may follow):
    # a selector that applies the module's permission and data scope.
    queryset: Callable[[object], models.QuerySet]
    # (amount, currency) of a document, for amount conditions; None when the type has no amount.
    amount: Callable[[models.Model], tuple[Decimal, str] | None] | None = None
    describe: Callable[[models.Model], str] = str
    url: Callable[[models.Model], str | None] | None = None
    # Key of the module the type belongs to: no submissions or decisions while it is off.
    module: str | None = None
    on_submitted: Hook | None = None
    on_approved: Hook | None = None
    on_rejected: Hook | None = None
    on_returned: Hook | None = None
    on_withdrawn: Hook | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def has_amount(self) -> bool:
        return self.amount is not None

    def call(self, hook: str, document, request, by) -> None:
        function = getattr(self, hook)
        if function is not None:
            function(document, request, by)


class DocumentTypeRegistry:
    def __init__(self):
        self._types: dict[str, DocumentType] = {}

    def register(self, document_type: DocumentType) -> None:
        if document_type.key in self._types:
            raise RuntimeError(f"Document type {document_type.key!r} registered twice.")
        pk = document_type.model_class._meta.pk
        if not isinstance(pk, models.UUIDField):
            raise TypeError(f"{document_type.model} needs a UUID primary key to go through approval.")
        self._types[document_type.key] = document_type

    def unregister(self, key: str) -> None:
        """For tests: types are otherwise fixed after start-up."""
        self._types.pop(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self._types

    def get(self, key: str) -> DocumentType | None:
        return self._types.get(key)

    def all(self) -> list[DocumentType]:
        return list(self._types.values())

    def choices(self) -> list[tuple[str, str]]:
        return [(t.key, t.title) for t in self._types.values()]


document_types = DocumentTypeRegistry()
