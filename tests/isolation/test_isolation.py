"""Tenant isolation, checked generically: every API operation in the OpenAPI
schema and every page in the tenant URLconf is called on tenant B's host with
B's credentials (and with A's credentials) while A holds planted rows. New
endpoints are covered automatically; an operation the walk cannot cover must
be on ALLOWLIST with a reason."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from .data import plant

# (method, path) -> why the generic walk does not call it.
ALLOWLIST = {
    ("post", "/api/v1/auth/token/"): "exchanges credentials for a token on the caller's own host; "
    "covered by test_credentials_of_a_are_refused_on_b",
}
# Web URL names the page walk does not GET, with the reason.
PAGE_ALLOWLIST = {
    "logout": "POST only; ends the caller's own session",
    "handoff": "single-use token bound to its tenant; covered in tenants/tests/test_signup.py",
    "support-enter": "single-use support token bound to its tenant; covered in tenants/tests/test_ops.py",
    "invitation": "token looked up in the current schema only; covered in core/users tests",
    "set_language": "POST only; sets a cookie",
    "healthz": "reports only the current schema's health",
}
PARAM = re.compile(r"\{[^}]+\}")


SCHEMA = SchemaGenerator(urlconf="api.urls_schema").get_schema(request=None, public=True)


def api_operations():
    for path, methods in SCHEMA["paths"].items():
        for method in methods:
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, path


OPERATIONS = sorted(api_operations())


def _resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        node = SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node or {}


def reference_fields(method, path) -> dict[str, bool]:
    """Request-body fields that hold an object id: {name: is_list}."""
    operation = SCHEMA["paths"][path][method]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    properties = _resolve(content.get("schema")).get("properties", {})
    fields = {}
    for name, prop in properties.items():
        prop = _resolve(prop)
        if prop.get("readOnly"):
            continue
        if prop.get("format") == "uuid":
            fields[name] = False
        elif prop.get("type") == "array" and _resolve(prop.get("items")).get("format") == "uuid":
            fields[name] = True
    return fields


def category(method, path) -> str:
    if PARAM.search(path):
        return "detail"
    if method == "get":
        return "list"
    if method in ("post", "put", "patch"):
        return "write"
    return "uncovered"


def concrete(path: str, value: str) -> str:
    return PARAM.sub(lambda m: "crm" if m.group(0) == "{key}" else value, path)


def page_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver("core.urls_tenant")
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue
            yield from page_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield entry.name, route


PAGES = sorted({(name or "", route) for name, route in page_patterns()})


def fill(route: str, value: str) -> str:
    return "/" + re.sub(r"<[^>]+>", value, route).lstrip("^").rstrip("$")


@pytest.fixture
def planted(tenant_a, admin_a):
    return plant(tenant_a, admin_a)


def assert_no_leak(response, planted):
    body = response.content.decode(errors="replace")
    for needle in planted["ids"] + planted["markers"]:
        assert needle not in body, f"{response.request['PATH_INFO']} leaked {needle}"


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_api_operation_on_b_never_reveals_a(method, path, planted, tenant_b, admin_b, api_for):
    if (method, path) in ALLOWLIST:
        pytest.skip(ALLOWLIST[(method, path)])
    api = api_for(tenant_b, admin_b)
    kind = category(method, path)
    if kind == "detail":
        for object_id in planted["ids"]:
            response = getattr(api, method)(PARAM.sub(object_id, path), {}, format="json")
            assert response.status_code in (404, 405), (method, path, response.status_code, response.content[:300])
    elif kind == "list":
        response = api.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert_no_leak(response, planted)
    elif kind == "write":
        # Point every id-holding field of the body at A's rows: B must refuse.
        for name, is_list in reference_fields(method, path).items():
            for object_id in planted["ids"]:
                body = {name: [object_id] if is_list else object_id}
                response = getattr(api, method)(path, body, format="json")
                assert response.status_code in (400, 404), (method, path, name, response.status_code)
                assert not any(m in response.content.decode() for m in planted["markers"])
    else:
        pytest.fail(f"{method.upper()} {path} is not covered by the walk; add a test and an ALLOWLIST reason")


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_credentials_of_a_are_refused_on_b(method, path, tenant_a, admin_a, tenant_b, api_for, web_for):
    api = api_for(tenant_a, admin_a)
    api.defaults["HTTP_HOST"] = "beta.localhost"
    url = concrete(path, "00000000-0000-0000-0000-000000000000")
    if (method, path) in ALLOWLIST:
        response = api.post(url, {"email": admin_a.email, "password": "Weft-test-pass-42"}, format="json")
        assert response.status_code == 401
        return
    assert getattr(api, method)(url, {}, format="json").status_code == 401
    session = web_for(tenant_a, admin_a)
    session.defaults["HTTP_HOST"] = "beta.localhost"
    assert getattr(session, method)(url).status_code in (401, 403)


@pytest.mark.parametrize("name,route", PAGES)
def test_page_on_b_never_reveals_a(name, route, planted, tenant_b, admin_b, web_for):
    if name in PAGE_ALLOWLIST:
        pytest.skip(PAGE_ALLOWLIST[name])
    client = web_for(tenant_b, admin_b)
    if "<" in route:
        for object_id in planted["ids"]:
            response = client.get(fill(route, object_id))
            assert response.status_code in (404, 405), (route, object_id, response.status_code)
    else:
        response = client.get(fill(route, ""))
        assert response.status_code in (200, 302, 405), (route, response.status_code)
        assert_no_leak(response, planted)


def test_session_of_a_is_not_a_session_on_b(tenant_a, admin_a, web_for):
    client = web_for(tenant_a, admin_a)
    assert client.get("/").status_code == 200
    response = client.get("/", HTTP_HOST="beta.localhost")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_spoofed_host_cannot_reach_another_tenant(tenant_a, tenant_b, admin_b, api_for):
    api = api_for(tenant_b, admin_b)
    assert api.get("/api/v1/me/").json()["email"] == "admin@beta.test"
    for spoof in ("alpha.localhost", "ALPHA.localhost", "alpha.localhost:8000", "www.alpha.localhost"):
        response = api.get("/api/v1/me/", HTTP_HOST=spoof)
        assert response.status_code == 401, spoof
    assert api.get("/api/v1/me/", HTTP_X_FORWARDED_HOST="alpha.localhost").json()["email"] == "admin@beta.test"


def test_every_operation_is_walked_or_allowlisted():
    """Guard: each operation falls in a walked category (detail, list, write)
    or carries an allow-list reason; allow-list entries must still exist."""
    uncovered = [(m, p) for m, p in OPERATIONS if category(m, p) == "uncovered" and (m, p) not in ALLOWLIST]
    assert uncovered == []
    assert set(ALLOWLIST) <= set(OPERATIONS)
