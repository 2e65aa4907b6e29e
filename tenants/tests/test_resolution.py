"""Tenant resolution from the Host header: cache, unknown hosts, blocked
states, and changes that must apply on the very next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.modules.services import module_set_enabled
from tenants.models import Tenant, TenantModule, TenantState
from tenants.services import tenant_set_state


def test_unknown_subdomain_gets_friendly_page(db):
    response = Client(HTTP_HOST="nobody-here.localhost").get("/")
    assert response.status_code == 404
    assert b"Workspace not found" in response.content
    assert b"nobody-here.localhost" in response.content


def test_unknown_subdomain_api_gets_json_error(db):
    response = Client(HTTP_HOST="nobody-here.localhost").get("/api/v1/me/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "There is no workspace at nobody-here.localhost.", "fields": {}}
    }


def test_disallowed_host_is_refused(db):
    response = Client(HTTP_HOST="alpha.evil.example").get("/")
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("state", [TenantState.SUSPENDED, TenantState.SCHEDULED_FOR_DELETION])
def test_blocked_tenant_sees_suspended_page_and_json(tenant_a, api_for, admin_a, state):
    api = api_for(tenant_a, admin_a)
    assert api.get("/api/v1/me/").status_code == 200
    tenant_set_state(tenant=tenant_a, state=state)
    page = Client(HTTP_HOST="alpha.localhost").get("/")
    assert page.status_code == 403
    assert b"suspended" in page.content
    response = api.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "suspended" in response.json()["error"]["message"]
    assert Client(HTTP_HOST="alpha.localhost").get("/healthz").status_code == 200


@pytest.mark.parametrize("state", [TenantState.TRIALING, TenantState.ACTIVE, TenantState.PAST_DUE])
def test_usable_states_serve_normally(tenant_a, api_for, admin_a, state):
    tenant_set_state(tenant=tenant_a, state=state)
    assert api_for(tenant_a, admin_a).get("/api/v1/me/").status_code == 200


def test_reactivation_restores_access_on_next_request(tenant_a, api_for, admin_a):
    api = api_for(tenant_a, admin_a)
    tenant_set_state(tenant=tenant_a, state=TenantState.SUSPENDED)
    assert api.get("/api/v1/me/").status_code == 403
    tenant_set_state(tenant=tenant_a, state=TenantState.ACTIVE)
    assert api.get("/api/v1/me/").status_code == 200


def test_tenant_resolution_costs_no_query_once_warm(tenant_a):
    client = Client(HTTP_HOST="alpha.localhost")
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/api/v1/me/").status_code == 401
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/api/v1/me/").status_code == 401
    assert len(cold) >= 1
    assert [q["sql"] for q in warm.captured_queries if "SET search_path" not in q["sql"]] == []


def test_module_switch_applies_on_next_request(tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    assert api.get("/api/v1/modules/crm/").json()["enabled"] is True
    module_set_enabled(tenant=tenant_a, key="distribution", enabled=False, by=admin_a)
    module_set_enabled(tenant=tenant_a, key="contracts", enabled=False, by=admin_a)
    module_set_enabled(tenant=tenant_a, key="service", enabled=False, by=admin_a)
    module_set_enabled(tenant=tenant_a, key="finance", enabled=False, by=admin_a)
    module_set_enabled(tenant=tenant_a, key="crm", enabled=False, by=admin_a)
    assert api.get("/api/v1/modules/crm/").json()["enabled"] is False
    assert "crm" not in Tenant.objects.get(pk=tenant_a.pk).enabled_module_keys()


def test_renaming_a_subdomain_moves_the_host_and_keeps_the_schema(tenant_a):
    domain = tenant_a.domains.get()
    schema = tenant_a.schema_name
    Client(HTTP_HOST="alpha.localhost").get("/healthz")  # warm the cache
    domain.domain = "alpha-renamed.localhost"
    domain.save()
    assert Client(HTTP_HOST="alpha.localhost").get("/healthz").status_code == 404
    response = Client(HTTP_HOST="alpha-renamed.localhost").get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["schema"] == schema


def test_healthz_reports_database_and_redis_on_every_host(tenant_a):
    for host in ("localhost", "alpha.localhost"):
        body = Client(HTTP_HOST=host).get("/healthz").json()
        assert body["status"] == "ok"
        assert body["checks"]["database"] == "ok" and body["checks"]["redis"] == "ok"


def test_module_rows_exist_for_every_registered_module(tenant_a):
    from core.modules import registry

    keys = set(TenantModule.objects.filter(tenant=tenant_a).values_list("key", flat=True))
    assert keys == set(registry.keys())


def test_unknown_api_path_gets_json_404(tenant_a, admin_a, api_for):
    response = api_for(tenant_a, admin_a).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_unknown_page_gets_html_404(tenant_a, admin_a, web_for):
    response = web_for(tenant_a, admin_a).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_suspended_admin_can_still_sign_in_and_reach_billing(tenant_a, admin_a, web_for):
    tenant_set_state(tenant=tenant_a, state=TenantState.SUSPENDED)
    assert Client(HTTP_HOST="alpha.localhost").get("/accounts/login/").status_code == 200
    web = web_for(tenant_a, admin_a)
    assert web.get("/billing/").status_code == 200
    assert web.get("/crm/customers/").status_code == 403
    tenant_set_state(tenant=tenant_a, state=TenantState.SCHEDULED_FOR_DELETION)
    assert web.get("/billing/").status_code == 403
