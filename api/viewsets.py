"""Base viewset for tenant resources: declares the permission object; custom
actions pass ``required_action`` ("export", "approve"...) to ``@action``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer

from core.exports import FORMATS, XLSX_CONTENT_TYPE, CSVRenderer, TableExport, XLSXRenderer


class TenantViewSet(viewsets.GenericViewSet):
    permission_object: str | None = None
    required_action: str | None = None


class ExportMixin:
    """``GET …/export/?format=csv|xlsx``: exactly the rows the caller may see,
    with the list's filters, as a CSV or Excel file (``table_export``)."""

    table_export: TableExport

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS),
                                     description="File type (default csv).")],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        filters=True,
    )
    @action(detail=False, methods=["get"], required_action="export",
            renderer_classes=[JSONRenderer, CSVRenderer, XLSXRenderer], pagination_class=None)
    def export(self, request):
        """The filtered list as a file (CSV unless ``format=xlsx``)."""
        rows = self.filter_queryset(self.get_queryset())
        fmt = request.accepted_renderer.format
        return self.table_export.response(rows, "xlsx" if fmt == "xlsx" else "csv")
