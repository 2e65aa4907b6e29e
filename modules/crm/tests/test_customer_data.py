"""Customer master data: duplicate warnings (name / tax id / phone, company-
wide, confirmable), Excel/CSV export of the lists, and import from Excel with
a preview, row errors and the all-or-valid choice."""

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import DomainError
from modules.crm import services
from modules.crm.models import Customer
from modules.crm.services import customer_import
from tests.factories import CustomerFactory

from .conftest import customers_of, in_schema, set_module

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- duplicates


@pytest.mark.parametrize("data,field", [
    ({"name": "  r2 corp "}, "name"),
    ({"name": "Other", "tax_id": "91 3100 00AB"}, "tax_id"),
    ({"name": "Other", "phone": "+86 (21) 5555-0100"}, "phone"),
])
def test_a_possible_duplicate_is_refused_with_the_match_named(tenant_a, org, data, field):
    with in_schema(tenant_a):
        org.c_r2.tax_id, org.c_r2.phone = "913100 00ab", "86-21-55550100"
        org.c_r2.save()
        before = customers_of(tenant_a)
        with pytest.raises(DomainError) as refused:
            services.customer_create(by=org.r1, **data)
        assert refused.value.status == 409
        # company-wide: R1 cannot see R2's customer but is told it exists
        assert refused.value.fields[field] == ["Same as “R2 Corp” (owner: Rita Two)."]
        assert customers_of(tenant_a) == before
        confirmed = services.customer_create(by=org.r1, allow_duplicate=True, **data)
        assert confirmed.pk


def test_short_phone_numbers_and_blank_fields_never_match(tenant_a, org):
    from modules.crm.selectors import customer_duplicates

    with in_schema(tenant_a):
        CustomerFactory(name="Tiny", owner=org.r1, phone="110", tax_id="")
        assert customer_duplicates(name="Another", phone="110") == []  # under 6 digits: never a match
        assert customer_duplicates(name="Third", tax_id="   ") == []  # a blank tax id matches nothing
        another = services.customer_create(by=org.r1, name="Another", phone="110")
        third = services.customer_create(by=org.r1, name="Third", tax_id="")
        assert Customer.objects.filter(pk__in=[another.pk, third.pk]).count() == 2


def test_editing_into_a_duplicate_is_refused_but_unrelated_edits_pass(tenant_a, org):
    with in_schema(tenant_a):
        services.customer_update(customer=org.c_r1, by=org.r1, grade="A")  # keeps its own name: no self-match
        with pytest.raises(DomainError) as refused:
            services.customer_update(customer=org.c_r1, by=org.r1, name="M Corp")
        assert refused.value.status == 409 and "name" in refused.value.fields
        services.customer_update(customer=org.c_r1, by=org.r1, name="M Corp", allow_duplicate=True)


def test_duplicate_warning_on_the_form_and_confirmation(web_for, tenant_a, org):
    rep = web_for(tenant_a, org.r1)
    form = {"name": "P Corp", "kind": "customer", "credit_limit": "0", "owner": str(org.r1.pk)}
    warned = rep.post("/crm/customers/new/", form)
    assert warned.status_code == 400
    html = warned.content.decode()
    assert "This looks like a customer that already exists" in html and "allow_duplicate" in html
    assert warned.context["form"].errors["name"] == ["Same as “P Corp” (owner: Pat Peer)."]
    saved = rep.post("/crm/customers/new/", form | {"allow_duplicate": "on"})
    assert saved.status_code == 302
    with in_schema(tenant_a):
        assert Customer.objects.filter(name="P Corp").count() == 2


def test_duplicate_conflict_and_override_over_the_api(api_for, tenant_a, org):
    client = api_for(tenant_a, org.r1)
    body = {"name": "R2 CORP", "tax_id": "X1", "source": "referral", "credit_rating": "AA"}
    refused = client.post("/api/v1/crm/customers/", body, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert refused.json()["error"]["fields"] == {"name": ["Same as “R2 Corp” (owner: Rita Two)."]}
    created = client.post("/api/v1/crm/customers/", body | {"allow_duplicate": True}, format="json")
    assert created.status_code == 201
    assert (created.json()["source"], created.json()["credit_rating"], created.json()["tax_id"]) == (
        "referral", "AA", "X1")
    assert "allow_duplicate" not in created.json()
    bad = client.post("/api/v1/crm/customers/", {"name": "New", "credit_rating": "Z"}, format="json")
    assert bad.status_code == 400 and "credit_rating" in bad.json()["error"]["fields"]


# -------------------------------------------------------------------- export


def test_lists_export_as_excel_with_typed_cells_and_scope(web_for, api_for, tenant_a, org):
    with in_schema(tenant_a):
        org.c_r1.credit_limit = Decimal("1234.50")
        org.c_r1.tax_id = "=cmd"
        org.c_r1.industry = "Pumps\x1b\x07 and valves"  # control characters a workbook cannot hold
        org.c_r1.save()
    rep = web_for(tenant_a, org.r1)
    response = rep.get("/crm/customers/export/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="customers-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[header.index("name")] for r in body] == ["R1 Corp"]  # only the rep's own customer
    assert body[0][header.index("credit_limit")] == 1234.5  # a number, so Excel can sum it
    assert body[0][header.index("tax_id")] == "'=cmd"  # never a formula
    assert body[0][header.index("industry")] == "Pumps and valves"
    api = api_for(tenant_a, org.r1).get("/api/v1/crm/customers/export/?format=xlsx")
    assert api.status_code == 200 and api["Content-Type"] == XLSX
    refused = api_for(tenant_a, org.r1).get("/api/v1/crm/customers/export/?format=xlsx&owner=not-a-uuid")
    assert refused.status_code == 400 and json.loads(refused.content)["error"]["code"] == "validation_error"
    csv = api_for(tenant_a, org.r1).get("/api/v1/crm/customers/export/")
    assert csv["Content-Type"].startswith("text/csv") and "R1 Corp" in csv.content.decode()


def test_every_crm_list_exports_and_export_needs_the_permission(web_for, tenant_a, org, make_user):
    from tests.factories import RoleFactory

    admin = web_for(tenant_a, org.admin)
    for path in ("/crm/customers/export/", "/crm/opportunities/export/", "/crm/follow-ups/export/",
                 "/crm/quotes/export/", "/catalog/products/export/"):
        for fmt in ("csv", "xlsx"):
            response = admin.get(f"{path}?format={fmt}")
            assert response.status_code == 200, (path, fmt)
            assert response["Content-Disposition"].endswith(f'.{fmt}"')
    with in_schema(tenant_a):
        viewer = RoleFactory(name="Viewer", permissions=["crm.opportunity.view"], data_scope="all")
    reader = web_for(tenant_a, make_user(tenant_a, roles=[viewer]))
    assert reader.get("/crm/opportunities/export/?format=xlsx").status_code == 403
    assert "Export Excel" not in reader.get("/crm/opportunities/").content.decode()


# -------------------------------------------------------------------- import


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue(), content_type=XLSX)


HEADER = ["name", "kind", "region", "phone", "tax_id", "credit_limit", "owner_email"]


def test_preview_reports_every_row_and_saves_nothing(tenant_a, org):
    rows_in = [
        HEADER,
        ["Good One", "customer", "East", 13800000001, "T1", 100, ""],
        ["", "", "", "", "", "", ""],  # blank row: skipped
        ["Bad Limit", "customer", "", "", "", "-5", ""],
        ["Good One", "", "", "", "", "", ""],  # same name as row 2
        ["R2 Corp", "", "", "", "", "", ""],  # exists already
        ["Ghost Owner", "", "", "", "", "", "nobody@example.com"],
        ["Other Rep", "", "", "", "", "", org.r2.email],  # outside R1's own scope
    ]
    with in_schema(tenant_a):
        before = customers_of(tenant_a)
        rows = customer_import.read_customer_rows(_xlsx(rows_in))
        preview = customer_import.preview_customer_import(rows, by=org.r1)
        assert customers_of(tenant_a) == before
    assert [r.number for r in preview.rows] == [2, 4, 5, 6, 7, 8]  # the header is row 1
    assert [r.number for r in preview.valid_rows] == [2]
    errors = {r.number: r.errors for r in preview.invalid_rows}
    assert errors[4] == {"credit_limit": ["The amount cannot be negative."]}
    assert errors[5] == {"name": ["Same as “Good One” (owner: Ray One)."]}
    assert errors[6] == {"name": ["Same as “R2 Corp” (owner: Rita Two)."]}
    assert errors[7] == {"owner_email": ["No member with this e-mail."]}
    assert "owner_email" in errors[8]
    assert preview.valid_rows[0].data["phone"] == "13800000001"  # a number cell read as text, no ".0"


def test_import_all_or_nothing_and_only_valid(tenant_a, org):
    rows_in = [HEADER, ["Alpha Ltd", "", "", "", "", "", ""], ["Beta Ltd", "", "", "", "", "-1", ""]]
    with in_schema(tenant_a):
        before = customers_of(tenant_a)
        rows = customer_import.read_customer_rows(_xlsx(rows_in))
        with pytest.raises(DomainError) as refused:
            customer_import.import_customers(rows, by=org.r1, mode="all")
        assert refused.value.fields["file"] == ["Row 3: credit_limit: The amount cannot be negative."]
        assert customers_of(tenant_a) == before
        result = customer_import.import_customers(rows, by=org.r1, mode="valid")
        assert [row.customer.name for row in result.rows if row.customer] == ["Alpha Ltd"]
        alpha = Customer.objects.get(name="Alpha Ltd")
        assert (alpha.owner_id, alpha.department_id) == (org.r1.pk, org.east.pk)


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("x.txt", b"name\nA"), "Upload an Excel (.xlsx) or CSV file."),
    (SimpleUploadedFile("x.xlsx", b"not a zip"), "The file could not be read. Save it as .xlsx or UTF-8 CSV and try again."),
    (SimpleUploadedFile("x.csv", b"company\nA"), "The first row must name the columns; a “name” column is required."),
    (SimpleUploadedFile("x.csv", b"name\n"), "The file has no customer rows."),
    (SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad"), "The file could not be read. Save it as .xlsx or UTF-8 CSV and try again."),
])
def test_unreadable_files_get_a_clear_error(upload, message):
    with pytest.raises(DomainError) as refused:
        customer_import.read_customer_rows(upload)
    assert refused.value.message == message


def test_an_exported_file_imports_again(web_for, tenant_a, org):
    admin = web_for(tenant_a, org.admin)
    exported = admin.get("/crm/customers/export/?format=xlsx&q=R1")
    with in_schema(tenant_a):
        Customer.objects.filter(name="R1 Corp").update(name="R1 Corp (old)", phone="")
        rows = customer_import.read_customer_rows(
            SimpleUploadedFile("customers.xlsx", exported.content, content_type=XLSX))
        preview = customer_import.preview_customer_import(rows, by=org.admin)
    assert [(r.data["name"], r.valid) for r in preview.rows] == [("R1 Corp", True)]


def test_import_pages_preview_then_import_valid_rows(web_for, tenant_a, org):
    rep = web_for(tenant_a, org.r1)
    assert rep.get("/crm/customers/import/").status_code == 200
    template = rep.get("/crm/customers/import/template/")
    assert template["Content-Type"] == XLSX
    preview = rep.post("/crm/customers/import/", {"file": _xlsx([HEADER, ["Web One", "", "", "", "", "", ""],
                                                                 ["R2 Corp", "", "", "", "", "", ""]])})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "2 rows checked: 1 valid, 1 with errors." in html and "Same as “R2 Corp”" in html
    token = preview.context["rows_token"]
    refused = rep.post("/crm/customers/import/", {"rows": token, "mode": "all"})
    assert refused.status_code == 400
    with in_schema(tenant_a):
        assert not Customer.objects.filter(name="Web One").exists()
    done = rep.post("/crm/customers/import/", {"rows": token, "mode": "valid"})
    assert done.status_code == 302 and done["Location"] == "/crm/customers/"
    with in_schema(tenant_a):
        assert Customer.objects.filter(name="Web One", owner=org.r1).count() == 1
    tampered = rep.post("/crm/customers/import/", {"rows": token + "x", "mode": "valid"})
    assert tampered.status_code == 302 and tampered["Location"] == "/crm/customers/import/"
    bad_file = rep.post("/crm/customers/import/", {"file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert bad_file.status_code == 400 and "Upload an Excel (.xlsx) or CSV file." in bad_file.content.decode()


def test_import_api_preview_and_modes(api_for, tenant_a, tenant_b, org):
    client = api_for(tenant_a, org.r1)
    upload = _xlsx([HEADER, ["Api One", "", "", "", "", "", ""], ["Api One", "", "", "", "", "", ""]])
    preview = client.post("/api/v1/crm/customers/import/", {"file": upload}, format="multipart")
    assert preview.status_code == 200
    body = preview.json()
    assert (body["mode"], body["valid"], body["invalid"], body["created"]) == ("preview", 1, 1, 0)
    assert body["rows"][1]["errors"] == {"name": ["Same as “Api One” (owner: Ray One)."]}
    upload.seek(0)
    refused = client.post("/api/v1/crm/customers/import/", {"file": upload, "mode": "all"}, format="multipart")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["file"]
    upload.seek(0)
    done = client.post("/api/v1/crm/customers/import/", {"file": upload, "mode": "valid"}, format="multipart")
    assert done.status_code == 200 and done.json()["created"] == 1
    assert client.post("/api/v1/crm/customers/import/", {}, format="multipart").status_code == 400
    set_module(tenant_a, "crm", False)
    upload.seek(0)
    off = client.post("/api/v1/crm/customers/import/", {"file": upload}, format="multipart")
    assert off.status_code == 404 and off.json()["error"]["code"] == "module_disabled"
