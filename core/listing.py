"""List pages: the filters of the query string applied to a scoped selector,
then one page of rows, or the whole filtered list as a CSV/Excel file.
An invalid filter shows no rows (and a 400), never the unfiltered list."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse

from core.exports import TableExport

PAGE_SIZE = 25


@dataclass
class FilteredList:
    filter: object
    rows: QuerySet
    valid: bool

    @property
    def status(self) -> int:
        return 200 if self.valid else 400

    def page(self, request, size: int = PAGE_SIZE) -> Page:
        return Paginator(self.rows, size).get_page(request.GET.get("page"))

    def export(self, request, table_export: TableExport) -> HttpResponse:
        return table_export.response(self.rows, request.GET.get("format", "csv"))


def filter_list(request, filterset_class, queryset: QuerySet) -> FilteredList:
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    return FilteredList(filterset, filterset.qs if valid else filterset.queryset.none(), valid)
