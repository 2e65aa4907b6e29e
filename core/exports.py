"""List exports shared by API actions and pages: one response builder for CSV
and Excel (.xlsx) that neutralises spreadsheet formulas, and DRF renderers so
clients may ask for ``Accept: text/csv`` / ``?format=xlsx``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from rest_framework.renderers import BaseRenderer

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


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


def xlsx_cell(value):
    """Numbers and dates stay typed (sums work in Excel); text is neutralised
    like CSV, without the control characters a workbook cannot hold; aware
    datetimes are shown in the current time zone."""
    if value is None or isinstance(value, (bool, int, Decimal, float, date)):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", csv_cell(value))


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


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An Excel workbook with one sheet: a bold, frozen header row and the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    header_row = []
    for title in header:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=csv_cell(str(title)))
        cell.font = Font(bold=True)
        header_row.append(cell)
    sheet.append(header_row)
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(stem: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str = "csv") -> HttpResponse:
    """``<stem>-<today>.csv`` or ``.xlsx``: the one export path of every list."""
    fmt = fmt if fmt in FORMATS else "csv"
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.{fmt}"
    builder = xlsx_response if fmt == "xlsx" else csv_response
    return builder(filename, header, rows)


@dataclass(frozen=True)
class TableExport:
    """What one list exports: a file stem and ``(header, value-of-row)`` columns.
    The API's export action and the page's export link both answer with
    :meth:`response`, so both files are the same."""

    stem: str
    columns: tuple[tuple[str, Callable], ...]

    @property
    def header(self) -> list[str]:
        return [title for title, _value in self.columns]

    def rows(self, objects: Iterable) -> Iterable[list]:
        for obj in objects:
            yield [value(obj) for _title, value in self.columns]

    def response(self, objects: Iterable, fmt: str = "csv") -> HttpResponse:
        return table_response(self.stem, self.header, self.rows(objects), fmt)


class _PassThroughRenderer(BaseRenderer):
    """Lets content negotiation accept a file type for export actions; the
    action itself returns a ready :func:`table_response`. Error bodies (dicts)
    are rendered as JSON text."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, (bytes, str)):
            return data if isinstance(data, bytes) else data.encode("utf-8")
        return json.dumps(data, default=str).encode("utf-8")


class CSVRenderer(_PassThroughRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_PassThroughRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
