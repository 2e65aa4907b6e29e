"""The ops console: staff only, tenant metadata only, every action audited;
support access is reasoned, time-boxed and visible to the tenant; exports
contain every table; deletion exports first and happens only when due."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core.audit.models import AuditEntry
from core.users.models import User
from tenants import lifecycle, services
from tenants.models import OpsAuditEntry, SupportAccess, Tenant, TenantExport, TenantState
from tenants.tasks import delete_due_tenants

OPS_PASSWORD = "Ops-test-pass-2026"


@pytest.fixture
def ops_user(db):
    connection.set_schema_to_public()
    return User.objects.create_user("ops@weft.test", OPS_PASSWORD, full_name="Olga Ops", is_staff=True)


@pytest.fixture
def ops(ops_user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(ops_user)
    return client


def test_anonymous_is_sent_to_ops_login(db):
    response = Client(HTTP_HOST="localhost").get("/ops/tenants/")
    assert response.status_code == 302 and response["Location"].startswith("/ops/login/")


def test_ops_login_accepts_staff_only(ops_user):
    client = Client(HTTP_HOST="localhost")
    User.objects.create_user("visitor@weft.test", OPS_PASSWORD, full_name="Not staff")
    refused = client.post("/ops/login/", {"email": "visitor@weft.test", "password": OPS_PASSWORD})
    assert refused.status_code == 400
    ok = client.post("/ops/login/", {"email": "ops@weft.test", "password": OPS_PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/ops/"
    assert client.get("/ops/").status_code == 200


def test_tenant_users_never_reach_ops(admin_a, web_for, tenant_a):
    assert web_for(tenant_a, admin_a).get("/ops/").status_code == 404
    refused = Client(HTTP_HOST="localhost").post("/ops/login/", {"email": admin_a.email, "password": "Weft-test-pass-42"})
    assert refused.status_code == 400


def test_non_staff_public_user_gets_403(db):
    user = User.objects.create_user("plain@weft.test", OPS_PASSWORD, full_name="Plain")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    assert client.get("/ops/tenants/").status_code == 403


def test_tenant_list_shows_metadata_and_filters(ops, tenant_a, tenant_b):
    response = ops.get("/ops/tenants/")
    assert response.status_code == 200
    assert b'data-tenant="alpha"' in response.content and b'data-tenant="beta"' in response.content
    lifecycle.tenant_suspend(tenant=tenant_b, by=None, reason="test suspension")
    filtered = ops.get("/ops/tenants/?state=suspended")
    assert b'data-tenant="beta"' in filtered.content and b'data-tenant="alpha"' not in filtered.content
    searched = ops.get("/ops/tenants/?q=Alph")
    assert b'data-tenant="alpha"' in searched.content and b'data-tenant="beta"' not in searched.content


def test_tenant_list_query_count_does_not_grow_with_tenants(ops):
    from django.test.utils import CaptureQueriesContext

    def count_queries():
        ops.get("/ops/tenants/")  # warm the hostname cache
        with CaptureQueriesContext(connection) as queries:
            response = ops.get("/ops/tenants/")
        return len(queries), response.content.count(b"data-tenant=")

    few, rows_few = count_queries()
    for n in range(5):
        services.tenant_signup(company_name=f"Many {n}", subdomain=f"many-{n}", admin_name="M",
                               admin_email=f"m{n}@many.test", admin_password="Many-pass-2026!")
    connection.set_schema_to_public()
    many, rows_many = count_queries()
    assert rows_many == rows_few + 5
    assert many == few


def test_detail_shows_no_tenant_data(ops, tenant_a, make_user):
    make_user(tenant_a, full_name="Secret Salesperson", email="secret@alpha.test")
    response = ops.get(f"/ops/tenants/{tenant_a.public_id}/")
    assert response.status_code == 200
    assert b"Alpha Ltd" in response.content
    assert b"Secret Salesperson" not in response.content and b"secret@alpha.test" not in response.content


@pytest.mark.parametrize("action,state", [("suspend", TenantState.SUSPENDED),
                                          ("schedule-deletion", TenantState.SCHEDULED_FOR_DELETION)])
def test_actions_need_a_reason_and_are_audited(ops, tenant_a, action, state):
    url = f"/ops/tenants/{tenant_a.public_id}/{action}/"
    ops.post(url, {"reason": ""})
    assert Tenant.objects.get(pk=tenant_a.pk).state == TenantState.TRIALING
    assert not OpsAuditEntry.objects.filter(tenant=tenant_a).exists()
    ops.post(url, {"reason": "customer asked by email"})
    assert Tenant.objects.get(pk=tenant_a.pk).state == state
    entry = OpsAuditEntry.objects.get(tenant=tenant_a)
    assert (entry.actor_label, entry.action, entry.reason) == ("ops@weft.test", action.replace("-", "_"),
                                                               "customer asked by email")
    assert Client(HTTP_HOST="alpha.localhost").get("/").status_code == 403


def test_reactivate_and_extend_trial(ops, tenant_a):
    ops.post(f"/ops/tenants/{tenant_a.public_id}/suspend/", {"reason": "payment dispute"})
    ops.post(f"/ops/tenants/{tenant_a.public_id}/reactivate/", {"reason": "dispute settled"})
    tenant = Tenant.objects.get(pk=tenant_a.pk)
    assert tenant.state == TenantState.TRIALING
    before = tenant.trial_ends_at
    ops.post(f"/ops/tenants/{tenant_a.public_id}/extend-trial/", {"reason": "sales request", "days": 10})
    assert Tenant.objects.get(pk=tenant_a.pk).trial_ends_at == before + timedelta(days=10)
    assert list(OpsAuditEntry.objects.filter(tenant=tenant_a).order_by("at").values_list("action", flat=True)) == [
        "suspend", "reactivate", "extend_trial"]


def test_support_access_is_reasoned_timeboxed_and_visible_to_the_tenant(ops, tenant_a):
    seats = Tenant.objects.get(pk=tenant_a.pk).seats_used
    short = ops.post(f"/ops/tenants/{tenant_a.public_id}/support-access/", {"reason": "help", "minutes": 30})
    assert short.status_code == 302 and "/ops/tenants/" in short["Location"]
    assert not SupportAccess.objects.exists()
    response = ops.post(f"/ops/tenants/{tenant_a.public_id}/support-access/",
                        {"reason": "Ticket 4711: cannot invite users", "minutes": 30})
    assert response.status_code == 302
    link = response["Location"]
    assert link.startswith("http://alpha.localhost:8000/auth/support/?token=")
    browser = Client(HTTP_HOST="alpha.localhost")
    path = link.split("alpha.localhost:8000", 1)[1]
    assert browser.get(path).status_code == 302
    assert browser.get("/api/v1/me/").json()["email"].startswith("support+")
    assert browser.get(path).status_code == 403  # single use
    with schema_context(tenant_a.schema_name):
        entry = AuditEntry.objects.get(message__startswith="Weft support access")
        assert entry.changes["reason"] == "Ticket 4711: cannot invite users"
        assert entry.changes["ops_user"] == "ops@weft.test"
    assert Tenant.objects.get(pk=tenant_a.pk).seats_used == seats
    SupportAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert browser.get("/").status_code == 302  # the session ended with the access


def test_export_contains_every_table_with_progress(ops, tenant_a, make_user, django_capture_on_commit_callbacks,
                                                  settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    make_user(tenant_a, full_name="Exported Person")
    (tmp_path / tenant_a.schema_name / "oa" / "ab").mkdir(parents=True)
    (tmp_path / tenant_a.schema_name / "oa" / "ab" / "minutes").write_bytes(b"meeting minutes")
    (tmp_path / "t_other").mkdir()
    (tmp_path / "t_other" / "secret").write_bytes(b"another workspace")
    with django_capture_on_commit_callbacks(execute=True):
        ops.post(f"/ops/tenants/{tenant_a.public_id}/export/")
    export = TenantExport.objects.get(tenant=tenant_a)
    assert (export.status, export.progress) == (TenantExport.Status.DONE, 100)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
                       [tenant_a.schema_name])
        tables = {row[0] for row in cursor.fetchall()}
    download = ops.get(f"/ops/exports/{export.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["tables"]) == tables
    assert {f"tables/{t}.csv" for t in tables} <= set(archive.namelist())
    assert manifest["tables"]["users_user"]["rows"] == 2
    assert "Exported Person" in archive.read("tables/users_user.csv").decode()
    assert manifest["files"] == ["files/oa/ab/minutes"]
    assert archive.read("files/oa/ab/minutes") == b"meeting minutes"
    assert not any("secret" in name for name in archive.namelist())


def test_deletion_waits_for_the_grace_period_then_exports_and_drops(db, settings, tmp_path,
                                                                   django_capture_on_commit_callbacks):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    result = services.tenant_signup(company_name="Gone Co", subdomain="gone-co", admin_name="G",
                                    admin_email="g@gone.test", admin_password="Gone-pass-2026!")
    tenant = result.tenant
    (tmp_path / tenant.schema_name / "oa").mkdir(parents=True)
    (tmp_path / tenant.schema_name / "oa" / "file").write_bytes(b"x")
    lifecycle.tenant_schedule_deletion(tenant=tenant, by=None, reason="contract ended")
    assert delete_due_tenants.apply().get() == []
    Tenant.objects.filter(pk=tenant.pk).update(deletion_scheduled_for=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_due_tenants.apply().get() == ["gone-co"]
    assert not Tenant.objects.filter(pk=tenant.pk).exists()
    assert not (tmp_path / tenant.schema_name / "oa" / "file").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [tenant.schema_name])
        assert cursor.fetchone() is None
    export = TenantExport.objects.get(tenant_label="gone-co")
    assert export.status == TenantExport.Status.DONE
    assert OpsAuditEntry.objects.filter(tenant_label="gone-co", action="delete").exists()


def test_dashboard_figures(ops, tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(state=TenantState.ACTIVE, plan_code="business", seats_used=3)
    response = ops.get("/ops/")
    assert response.status_code == 200
    from tenants.ops.selectors import dashboard_figures

    figures = dashboard_figures()
    assert figures["mrr"] == Decimal("87.00")
    assert figures["by_state"]["active"] == 1
    assert b'data-chart="by_state"' in response.content


def test_change_plan_asks_before_dropping_modules_then_keeps_data(ops, tenant_a, admin_a):
    from modules.crm.models import Customer
    from tenants.models import TenantModule

    with schema_context(tenant_a.schema_name):
        Customer.objects.create(name="Kept by downgrade", owner=admin_a)
    url = f"/ops/tenants/{tenant_a.public_id}/change-plan/"
    ops.post(url, {"plan": "starter", "reason": "customer downgraded by phone"})
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "trial"
    ops.post(url, {"plan": "starter", "reason": "customer downgraded by phone", "confirm": "on"})
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "starter"
    enabled = set(TenantModule.objects.filter(tenant=tenant_a, enabled=True).values_list("key", flat=True))
    assert enabled == {"crm", "oa"}
    entry = OpsAuditEntry.objects.get(tenant=tenant_a, action="change_plan")
    assert entry.details["to"] == "starter" and "inventory" in entry.details["modules_disabled"]
    with schema_context(tenant_a.schema_name):
        assert Customer.objects.filter(name="Kept by downgrade").exists()


def test_detail_shows_subscription_and_stripe_events(ops, tenant_a):
    from billing.models import Plan, StripeEvent, Subscription

    Subscription.objects.create(tenant=tenant_a, plan=Plan.objects.get(code="business"), status="active", seats=4,
                                stripe_customer_id="cus_ops", stripe_subscription_id="sub_ops")
    StripeEvent.objects.create(event_id="evt_ops_1", type="invoice.paid", payload={}, tenant=tenant_a,
                               stripe_created_at=timezone.now(), outcome="active")
    Tenant.objects.filter(pk=tenant_a.pk).update(state=TenantState.ACTIVE, plan_code="business")
    page = ops.get(f"/ops/tenants/{tenant_a.public_id}/")
    assert b'data-subscription-status="active"' in page.content
    assert b'data-stripe-event="evt_ops_1"' in page.content
    from tenants.ops.selectors import plans_by_code, tenant_mrr

    assert tenant_mrr(Tenant.objects.select_related("subscription__plan").get(pk=tenant_a.pk),
                      plans_by_code()) == Decimal("116.00")
