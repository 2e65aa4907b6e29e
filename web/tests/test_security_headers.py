"""Content-Security-Policy and Permissions-Policy on every kind of page, and
no inline script, inline style or inline event handler in what we render."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.test import Client

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style[\s>]", re.I)


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def assert_strict_policy(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'", "http://*.localhost:*", "https://*.localhost"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def assert_no_inline_code(html: str):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)
    assert not STYLE_ATTR.search(html), STYLE_ATTR.search(html).group(0)
    assert not STYLE_TAG.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/signup/", "/login/"])
def test_public_pages_have_a_strict_policy_and_no_inline_code(path):
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_no_inline_code(response.content.decode())


@pytest.mark.django_db
def test_public_error_pages_have_the_policy_too():
    bad = Client(HTTP_HOST="localhost").post("/signup/", {"subdomain": "x"})
    assert bad.status_code == 400
    assert_strict_policy(bad)
    assert_no_inline_code(bad.content.decode())


@pytest.mark.django_db
def test_tenant_pages_have_a_strict_policy_and_no_inline_code(tenant_a, admin_a, web_for):
    login = web_for(tenant_a).get("/accounts/login/")
    assert login.status_code == 200
    assert_strict_policy(login)
    assert_no_inline_code(login.content.decode())

    home = web_for(tenant_a, admin_a).get("/")
    assert home.status_code == 200
    assert_strict_policy(home)
    assert_no_inline_code(home.content.decode())


@pytest.mark.django_db
def test_unknown_workspace_page_has_the_policy():
    response = Client(HTTP_HOST="nobody-here.localhost").get("/")
    assert response.status_code == 404
    assert_strict_policy(response)


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["localhost", "alpha.localhost"])
def test_api_docs_allow_only_their_own_inline_script_by_hash(tenant_a, host):
    response = Client(HTTP_HOST=host).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 1
    expected = "'sha256-%s'" % base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", expected]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for values in policy.values():
        for value in values:
            assert value.startswith(("'", "data:")) or value.endswith(f".{settings.ROOT_DOMAIN}:*") \
                or value.endswith(f".{settings.ROOT_DOMAIN}"), f"external source {value}"


@pytest.mark.django_db
def test_the_docs_exemption_does_not_leak_to_other_api_paths(tenant_a):
    response = Client(HTTP_HOST="alpha.localhost").get("/api/schema/")
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_inline_hashes_ignore_external_and_empty_scripts():
    from core.security import inline_hashes

    html = b'<script src="/static/a.js"></script><script></script><script>alert(1)</script><style>p{}</style>'
    found = inline_hashes(html)
    digest = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert found["script"] == [f"'sha256-{digest}'"]
    assert len(found["style"]) == 1


def test_no_template_in_the_project_has_inline_script_style_or_handlers():
    """The CSP forbids them, so a template that uses them is broken in the browser."""
    roots = [settings.BASE_DIR / name for name in ("core", "modules", "tenants", "billing", "web", "api")]
    offenders = []
    for root in roots:
        for path in root.rglob("*.html"):
            if "node_modules" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ATTR, STYLE_TAG):
                match = pattern.search(text)
                if match:
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}")
    assert offenders == []
