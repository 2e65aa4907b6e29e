"""Customer pages: scoped list/detail/export, forms through the services,
permissions, navigation and the module switch."""

import csv
import io

from django.urls import reverse

from core.audit.models import AuditEntry
from core.org.models import DataScope
from modules.crm.models import Customer
from tests.factories import CustomerFactory, RoleFactory

from .conftest import customers_of, in_schema, set_module

LIST = "/crm/customers/"


def page_names(response):
    assert response.status_code == 200
    return sorted(c.name for c in response.context["page_obj"].object_list)


def test_url_names_are_the_pages_not_the_api():
    assert reverse("crm:customer-list") == LIST
    assert reverse("crm:customer-export") == "/crm/customers/export/"
    assert reverse("api:crm:customer-list") == "/api/v1/crm/customers/"


def test_list_detail_and_export_follow_the_scope(web_for, tenant_a, org):
    rep = web_for(tenant_a, org.r1)
    assert page_names(rep.get(LIST)) == ["R1 Corp"]
    assert rep.get(f"/crm/customers/{org.c_r1.pk}/").status_code == 200
    assert rep.get(f"/crm/customers/{org.c_r2.pk}/").status_code == 404
    assert rep.get(f"/crm/customers/{org.c_r2.pk}/edit/").status_code == 404
    export = rep.get("/crm/customers/export/")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["R1 Corp"]
    manager = web_for(tenant_a, org.m)
    assert page_names(manager.get(LIST)) == ["M Corp", "R1 Corp", "R2 Corp"]
    assert page_names(web_for(tenant_a, org.head).get(LIST)) == ["East by P", "M Corp", "R1 Corp", "R2 Corp"]
    assert len(page_names(web_for(tenant_a, org.admin).get(LIST))) == 5


def test_list_filters_and_pagination(web_for, tenant_a, org):
    with in_schema(tenant_a):
        for n in range(30):
            CustomerFactory(name=f"Bulk {n:02d}", owner=org.p, region="Hangzhou" if n == 7 else "")
    client = web_for(tenant_a, org.admin)
    first = client.get(LIST)
    assert first.context["page_obj"].paginator.count == 35
    assert len(first.context["page_obj"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page_obj"].object_list) == 10
    assert page_names(client.get(LIST, {"q": "hangzhou"})) == ["Bulk 07"]
    assert page_names(client.get(LIST, {"department": str(org.east.pk)})) == ["East by P", "R1 Corp", "R2 Corp"]
    html = first.content.decode()
    assert 'href="/crm/customers/export/?format=xlsx"' in html and 'href="/crm/customers/export/?format=csv"' in html
    assert "<script>" not in html and "onclick" not in html


def test_create_defaults_to_caller_and_records_audit(web_for, tenant_a, org):
    client = web_for(tenant_a, org.r1)
    form = client.get("/crm/customers/new/").context["form"]
    assert (form.initial["owner"], form.initial["department"]) == (org.r1.pk, org.east.pk)
    response = client.post("/crm/customers/new/", {
        "name": "Web Co", "kind": "customer", "credit_limit": "100", "owner": str(org.r1.pk),
        "department": str(org.east.pk),
    })
    assert response.status_code == 302
    with in_schema(tenant_a):
        customer = Customer.objects.get(name="Web Co")
        assert AuditEntry.objects.filter(object_id=str(customer.pk), action="create", actor=org.r1).exists()
    assert response["Location"] == f"/crm/customers/{customer.pk}/"
    assert (customer.owner_id, customer.department_id) == (org.r1.pk, org.east.pk)


def test_create_shows_errors_and_changes_nothing(web_for, tenant_a, org):
    before = customers_of(tenant_a)
    client = web_for(tenant_a, org.r1)
    response = client.post("/crm/customers/new/", {
        "name": "Sneaky", "kind": "customer", "credit_limit": "-5", "owner": str(org.r1.pk),
    })
    assert response.status_code == 400
    assert response.context["form"].errors["credit_limit"] == ["The amount cannot be negative."]
    response = client.post("/crm/customers/new/", {
        "name": "Sneaky", "kind": "customer", "credit_limit": "5", "owner": str(org.p.pk),
    })
    assert response.status_code == 400
    assert response.context["form"].errors["owner"] == ["Outside your data scope."]
    assert customers_of(tenant_a) == before


def test_edit_reassigns_with_the_new_owners_department(web_for, tenant_a, org):
    client = web_for(tenant_a, org.admin)
    form = client.get(f"/crm/customers/{org.c_r1.pk}/edit/").context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "owner": str(org.p.pk),
            "department": str(org.east.pk)}
    response = client.post(f"/crm/customers/{org.c_r1.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    with in_schema(tenant_a):
        customer = Customer.objects.get(pk=org.c_r1.pk)
        entry = AuditEntry.objects.get(object_id=str(customer.pk))
    assert (customer.owner_id, customer.department_id) == (org.p.pk, org.support.pk)
    assert entry.message == "reassigned"
    detail = client.get(f"/crm/customers/{customer.pk}/")
    assert [e.pk for e, _changes in detail.context["history"]] == [entry.pk]


def test_delete_page(web_for, tenant_a, org):
    client = web_for(tenant_a, org.r1)
    assert client.get(f"/crm/customers/{org.c_r1.pk}/delete/").status_code == 200
    before = customers_of(tenant_a)
    assert client.post(f"/crm/customers/{org.c_r2.pk}/delete/").status_code == 404
    assert customers_of(tenant_a) == before
    response = client.post(f"/crm/customers/{org.c_r1.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    with in_schema(tenant_a):
        assert not Customer.objects.filter(pk=org.c_r1.pk).exists()


def test_pages_need_permission(web_for, make_user, tenant_a, org):
    with in_schema(tenant_a):
        viewer_role = RoleFactory(permissions=["crm.customer.view"], data_scope=DataScope.ALL)
    viewer = web_for(tenant_a, make_user(tenant_a, roles=[viewer_role]))
    before = customers_of(tenant_a)
    page = viewer.get(LIST)
    assert page.status_code == 200
    assert "/crm/customers/new/" not in page.content.decode()
    assert viewer.get(f"/crm/customers/{org.c_p.pk}/").context["history"] is None  # no audit permission
    assert viewer.get("/crm/customers/new/").status_code == 403
    assert viewer.post("/crm/customers/new/", {"name": "X"}).status_code == 403
    assert viewer.post(f"/crm/customers/{org.c_p.pk}/edit/", {"name": "X"}).status_code == 403
    assert viewer.post(f"/crm/customers/{org.c_p.pk}/delete/").status_code == 403
    assert viewer.get("/crm/customers/export/").status_code == 403
    assert web_for(tenant_a, make_user(tenant_a)).get(LIST).status_code == 403
    anonymous = web_for(tenant_a).get(LIST)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert customers_of(tenant_a) == before


def test_navigation_links_to_the_page(web_for, tenant_a, org):
    html = web_for(tenant_a, org.r1).get("/").content.decode()
    assert f'data-module="crm" href="{LIST}"' in html


def test_module_disabled_page_404_then_restored(web_for, tenant_a, org):
    client = web_for(tenant_a, org.admin)
    assert client.get(LIST).status_code == 200
    set_module(tenant_a, "crm", False)
    assert client.get(LIST).status_code == 404
    assert client.get(f"/crm/customers/{org.c_r1.pk}/").status_code == 404
    assert client.get("/crm/customers/export/").status_code == 404
    assert f'href="{LIST}"' not in client.get("/").content.decode()
    set_module(tenant_a, "crm", True)
    assert len(page_names(client.get(LIST))) == 5
