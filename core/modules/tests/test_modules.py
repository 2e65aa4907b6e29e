"""Module switching: plan entitlement, dependencies, admin only, and the
guard that hides a disabled module's pages and API without losing data."""

import pytest
from django_tenants.utils import schema_context

from billing.models import Plan
from core.errors import DomainError
from core.modules.services import module_set_enabled
from tenants.models import Tenant, TenantModule


def enabled_keys(tenant):
    return set(TenantModule.objects.filter(tenant=tenant, enabled=True).values_list("key", flat=True))


def test_list_shows_every_module_with_state(tenant_a, admin_a, api_for):
    body = api_for(tenant_a, admin_a).get("/api/v1/modules/").json()
    assert [m["key"] for m in body] == ["crm", "distribution", "inventory", "contracts", "service", "finance", "oa"]
    assert all(m["enabled"] and m["in_plan"] for m in body)
    assert next(m for m in body if m["key"] == "distribution")["dependencies"] == ["crm", "inventory"]


def test_disabling_a_module_others_depend_on_is_refused(tenant_a, admin_a, api_for):
    before = enabled_keys(tenant_a)
    response = api_for(tenant_a, admin_a).patch("/api/v1/modules/crm/", {"enabled": False}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert "Distribution" in error["message"] and "Disable" in error["message"]
    assert enabled_keys(tenant_a) == before


def test_enabling_without_dependencies_is_refused(tenant_a, admin_a, api_for):
    for key in ("distribution", "inventory"):
        module_set_enabled(tenant=tenant_a, key=key, enabled=False, by=admin_a)
    before = enabled_keys(tenant_a)
    response = api_for(tenant_a, admin_a).patch("/api/v1/modules/distribution/", {"enabled": True}, format="json")
    assert response.status_code == 409
    assert "Inventory" in response.json()["error"]["message"]
    assert enabled_keys(tenant_a) == before


def test_plan_limits_which_modules_can_be_enabled(tenant_a, admin_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(plan_code="starter")
    tenant = Tenant.objects.get(pk=tenant_a.pk)
    module_set_enabled(tenant=tenant, key="distribution", enabled=False, by=admin_a)
    with pytest.raises(DomainError, match="does not include"):
        module_set_enabled(tenant=tenant, key="distribution", enabled=True, by=admin_a)
    assert Plan.objects.get(code="starter").includes("crm")


def test_only_admins_switch_modules(tenant_a, make_user, api_for):
    user = make_user(tenant_a)
    response = api_for(tenant_a, user).patch("/api/v1/modules/oa/", {"enabled": False}, format="json")
    assert response.status_code == 403
    assert "oa" in enabled_keys(tenant_a)


def test_missing_enabled_field_is_a_validation_error(tenant_a, admin_a, api_for):
    response = api_for(tenant_a, admin_a).patch("/api/v1/modules/oa/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"enabled": ["This field is required."]}


def test_unknown_module_is_404(tenant_a, admin_a, api_for):
    assert api_for(tenant_a, admin_a).patch("/api/v1/modules/nope/", {"enabled": True}, format="json").status_code == 404


def test_disabled_module_vanishes_and_returns_with_its_data(tenant_a, admin_a, api_for, web_for):
    from modules.crm.models import Customer

    with schema_context(tenant_a.schema_name):
        Customer.objects.create(name="Kept Customer", owner=admin_a)
    for key in ("distribution", "contracts", "service", "finance", "crm"):
        module_set_enabled(tenant=tenant_a, key=key, enabled=False, by=admin_a)
    web = web_for(tenant_a, admin_a)
    home = web.get("/")
    assert b'data-module="crm"' not in home.content
    response = web.get("/settings/modules/")
    assert b'data-module-card="crm"' in response.content
    module_set_enabled(tenant=tenant_a, key="crm", enabled=True, by=admin_a)
    with schema_context(tenant_a.schema_name):
        assert Customer.objects.filter(name="Kept Customer").exists()


def test_module_page_toggles_and_reports_refusals(tenant_a, admin_a, web_for):
    web = web_for(tenant_a, admin_a)
    response = web.post("/settings/modules/crm/", {"enabled": "0"}, follow=True)
    assert response.status_code == 200
    assert b"Disable" in response.content
    assert "crm" in enabled_keys(tenant_a)
    web.post("/settings/modules/oa/", {"enabled": "0"})
    assert "oa" not in enabled_keys(tenant_a)


def test_module_pages_are_admin_only(tenant_a, make_user, web_for):
    web = web_for(tenant_a, make_user(tenant_a))
    assert web.get("/settings/modules/").status_code == 403
    assert web.post("/settings/modules/oa/", {"enabled": "0"}).status_code == 403
    assert web.get("/settings/").status_code == 403


def test_workspace_settings_api_validates_and_saves(tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    bad = api.patch("/api/v1/settings/", {"timezone": "Mars/Olympus", "language": "fr"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"timezone", "language"}
    assert Tenant.objects.get(pk=tenant_a.pk).timezone == "UTC"
    ok = api.patch("/api/v1/settings/", {"timezone": "Asia/Shanghai", "language": "zh-hans"}, format="json")
    assert ok.status_code == 200
    assert Tenant.objects.get(pk=tenant_a.pk).timezone == "Asia/Shanghai"
    assert api.get("/api/v1/settings/").json()["language"] == "zh-hans"
