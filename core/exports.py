"""CSV exports shared by API actions and pages: one response builder that
neutralises spreadsheet formulas, and a DRF renderer so clients may ask for
``Accept: text/csv``."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from rest_framework.renderers import BaseRenderer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell value that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A UTF-8 (with BOM, so Excel reads Chinese text) CSV attachment."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return response


class CSVRenderer(BaseRenderer):
    """Lets content negotiation accept ``text/csv`` for export actions; the
    action itself returns a ready :func:`csv_response`. Error bodies (dicts)
    are rendered as JSON text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, (bytes, str)):
            return data if isinstance(data, bytes) else data.encode(self.charset)
        return json.dumps(data, default=str).encode(self.charset)
