"""A tenant admin exports their own workspace (API and page); nobody else's."""

from tenants.models import TenantExport


def test_admin_exports_own_workspace_through_the_api(tenant_a, admin_a, api_for, django_capture_on_commit_callbacks):
    api = api_for(tenant_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/exports/")
    assert response.status_code == 202
    export_id = response.json()["id"]
    body = api.get(f"/api/v1/exports/{export_id}/").json()
    assert (body["status"], body["progress"]) == ("done", 100)
    assert body["download_url"] == f"/settings/export/{export_id}/download/"
    assert [e["id"] for e in api.get("/api/v1/exports/").json()["results"]] == [export_id]


def test_non_admin_cannot_export(tenant_a, make_user, api_for, web_for):
    user = make_user(tenant_a)
    before = TenantExport.objects.count()
    assert api_for(tenant_a, user).post("/api/v1/exports/").status_code == 403
    assert web_for(tenant_a, user).get("/settings/export/").status_code == 403
    assert web_for(tenant_a, user).post("/settings/export/start/").status_code == 403
    assert TenantExport.objects.count() == before


def test_other_tenants_export_is_invisible(tenant_a, admin_a, tenant_b, admin_b, api_for, web_for,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export_id = api_for(tenant_a, admin_a).post("/api/v1/exports/").json()["id"]
    assert api_for(tenant_b, admin_b).get(f"/api/v1/exports/{export_id}/").status_code == 404
    assert web_for(tenant_b, admin_b).get(f"/settings/export/{export_id}/download/").status_code == 404
    page = web_for(tenant_a, admin_a)
    assert page.get("/settings/export/").status_code == 200
    download = page.get(f"/settings/export/{export_id}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_export_survives_a_broker_outage(tenant_a, admin_a, api_for, django_capture_on_commit_callbacks,
                                         monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from tenants import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.build_tenant_export, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(tenant_a, admin_a).post("/api/v1/exports/")
    assert response.status_code == 202
    export = TenantExport.objects.get(pk=response.json()["id"])
    assert export.status == TenantExport.Status.QUEUED
    TenantExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.build_queued_exports.apply().get() == 1
    export.refresh_from_db()
    assert (export.status, export.progress) == (TenantExport.Status.DONE, 100)
