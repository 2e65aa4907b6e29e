"""Import customers from an Excel (.xlsx) or CSV file.

Two steps, the same for the page and the API: :func:`read_customer_rows`
turns the file into rows, :func:`preview_customer_import` checks every row
with the customer service itself (fields, owner, data scope, duplicates
against the company's counterparties and against earlier rows of the file)
and :func:`import_customers` saves them in one transaction — either all rows
(refused, nothing saved, if any row has an error) or only the valid ones, as
the user chooses. Rows are checked again at saving time: the preview is
advice, not a promise.

Columns are matched by the export's keys (``name``, ``tax_id``…, so an
exported file imports again) or by the field labels in the user's language;
unknown columns are ignored. The owner is given by e-mail (``owner_email``)
and defaults to the importer."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..models import Customer
from .customers import customer_create

MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024
COLUMNS = ("name", "kind", "grade", "region", "industry", "phone", "tax_id", "source", "credit_rating",
           "credit_limit", "owner_email")
MODES = ("all", "valid")


@dataclass
class ImportRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    data: dict
    errors: dict = field(default_factory=dict)
    customer: Customer | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [f"{name}: {message}" if name != "__all__" else message
                for name, messages in self.errors.items() for message in messages]


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.valid]


def _header_names() -> dict[str, str]:
    """Column title (lower case) -> key: the keys and the labels in the active language."""
    names = {key: key for key in COLUMNS}
    for key in COLUMNS:
        if key != "owner_email":
            names[str(Customer._meta.get_field(key).verbose_name).lower()] = key
    names[_("owner e-mail").lower()] = "owner_email"
    return names


def _bad_file(message: str) -> DomainError:
    return DomainError(message, fields={"file": [message]})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text  # our exports neutralise formulas with a quote


def read_customer_rows(upload) -> list[tuple[int, dict]]:
    """``(row number, {key: text})`` for every non-empty row of the file's first sheet."""
    if upload.size > MAX_FILE_BYTES:
        raise _bad_file(_("The file is too large (at most %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 2**20})
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise _bad_file(_("Upload an Excel (.xlsx) or CSV file."))
    content = upload.read()
    try:
        if name.endswith(".xlsx"):
            table = _xlsx_rows(content)
        else:
            table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as exc:
        raise _bad_file(_("The file could not be read. Save it as .xlsx or UTF-8 CSV and try again.")) from exc
    if not table:
        raise _bad_file(_("The file is empty."))
    names = _header_names()
    keys = [names.get(_cell(title).lower()) for title in table[0]]
    if "name" not in keys:
        raise _bad_file(_("The first row must name the columns; a “name” column is required."))
    rows = []
    for number, values in enumerate(table[1:], start=2):
        data = {key: _cell(value) for key, value in zip(keys, values) if key}
        if any(data.values()):
            rows.append((number, data))
    if not rows:
        raise _bad_file(_("The file has no customer rows."))
    if len(rows) > MAX_ROWS:
        raise _bad_file(_("At most %(n)d rows per import; split the file.") % {"n": MAX_ROWS})
    return rows


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged upload raises zipfile, XML or openpyxl errors of many kinds
        raise ValueError("not an xlsx workbook") from exc
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _check_rows(rows: list[tuple[int, dict]], *, by) -> list[ImportRow]:
    """Create each row through :func:`customer_create` in its own savepoint:
    a row the service refuses (a field, the owner's scope, a duplicate of a
    customer — or of an earlier row, already created in this transaction) is
    rolled back alone and keeps the service's messages."""
    emails = {data["owner_email"].lower() for _n, data in rows if data.get("owner_email")}
    owners = {u.email.lower(): u for u in get_user_model().objects.filter(email__in=emails)} if emails else {}
    checked = []
    for number, data in rows:
        row = ImportRow(number, data)
        checked.append(row)
        email = data.get("owner_email", "").lower()
        owner = owners.get(email) if email else by
        if owner is None:
            row.errors["owner_email"] = [_("No member with this e-mail.")]
            continue
        fields = {key: data.get(key, "") for key in COLUMNS if key != "owner_email"}
        fields["credit_limit"] = fields["credit_limit"] or "0"
        try:
            with transaction.atomic():
                row.customer = customer_create(by=by, owner=owner, **fields)
        except DomainError as exc:
            row.errors = {("owner_email" if name == "owner" else name): messages
                          for name, messages in exc.fields.items()} or {"__all__": [exc.message]}
    return checked


def preview_customer_import(rows: list[tuple[int, dict]], *, by) -> ImportPreview:
    """Every row checked exactly as the import would save it; nothing is kept."""
    with transaction.atomic():
        checked = _check_rows(rows, by=by)
        transaction.set_rollback(True)
    for row in checked:
        row.customer = None
    return ImportPreview(checked)


@transaction.atomic
def import_customers(rows: list[tuple[int, dict]], *, by, mode: str) -> ImportPreview:
    """Save the rows (``mode`` "all": every row or none; "valid": the valid
    rows, the others are reported). The created customers are ``row.customer``."""
    if mode not in MODES:
        raise DomainError(_("Choose what to import."), fields={"mode": [_("Choose a valid option.")]})
    preview = ImportPreview(_check_rows(rows, by=by))
    if mode == "all" and preview.invalid_rows:
        raise DomainError(
            _("%(n)d row(s) have errors; nothing was imported. Fix them, or import only the valid rows.")
            % {"n": len(preview.invalid_rows)},
            fields={"file": [_("Row %(n)d: %(errors)s") % {"n": row.number, "errors": "; ".join(row.messages)}
                             for row in preview.invalid_rows]},
        )
    return preview
