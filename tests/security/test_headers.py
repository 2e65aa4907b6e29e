"""Secure headers on the main pages of both hosts (root site and a workspace):
a strict Content-Security-Policy with ``script-src 'self'``, no framing,
no MIME sniffing; over HTTPS, Strict-Transport-Security and Secure cookies
with the production settings. (web/tests/test_security_headers.py checks the
policy's directives in detail and the templates for inline code.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from core.security import build_policy
from tests.browser.pages import ADMIN_PAGES, GUEST_PAGES, PUBLIC_PAGES

STRICT = build_policy(settings.CSP_DIRECTIVES)


def production_settings(**env) -> dict:
    """Security settings as core.settings computes them in a fresh process
    with the given environment (debug off unless said otherwise)."""
    names = ["DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
             "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS",
             "SECURE_CONTENT_TYPE_NOSNIFF", "PASSWORD_HASHERS"]
    code = ("import json, core.settings as s; "
            f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEFT_") and k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60,
        env={**clean, "WEFT_DEBUG": "false", "WEFT_SECRET_KEY": "a-real-secret-for-this-check-only", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_secure_headers(response, where):
    assert response.status_code == 200, (where, response.status_code)
    assert response["Content-Security-Policy"] == STRICT, where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert "Strict-Transport-Security" not in response, f"{where}: HSTS over plain http"


def test_the_policy_allows_scripts_from_our_own_origin_only():
    assert settings.CSP_DIRECTIVES["script-src"] == ["'self'"]
    assert "script-src 'self';" in STRICT and "unsafe" not in STRICT


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_root_site_pages_send_the_secure_headers(path):
    assert_secure_headers(Client(HTTP_HOST=settings.ROOT_DOMAIN).get(path), path)


@pytest.mark.django_db
def test_workspace_pages_send_the_secure_headers(tenant_a, admin_a, web_for):
    for path in GUEST_PAGES:
        assert_secure_headers(web_for(tenant_a).get(path), path)
    signed_in = web_for(tenant_a, admin_a)
    for path in ADMIN_PAGES:
        assert_secure_headers(signed_in.get(path), path)


@pytest.mark.django_db
def test_api_answers_send_them_too(tenant_a, admin_a, api_for):
    response = api_for(tenant_a, admin_a).get("/api/v1/me/")
    assert_secure_headers(response, "/api/v1/me/")
    unauthenticated = api_for(tenant_a).get("/api/v1/me/")
    assert unauthenticated.status_code == 401
    assert unauthenticated["X-Frame-Options"] == "DENY"
    assert unauthenticated["Content-Security-Policy"] == STRICT


def test_production_settings_turn_on_hsts_secure_cookies_and_the_proxy_header():
    prod = production_settings()
    assert prod == {
        "DEBUG": False,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.Argon2PasswordHasher",
                             "django.contrib.auth.hashers.PBKDF2PasswordHasher"],
    }


def test_development_settings_keep_plain_http_working():
    dev = production_settings(WEFT_DEBUG="true")
    assert (dev["DEBUG"], dev["SECURE_HSTS_SECONDS"], dev["SESSION_COOKIE_SECURE"], dev["CSRF_COOKIE_SECURE"],
            dev["SECURE_PROXY_SSL_HEADER"]) == (True, 0, False, False, None)


def test_hsts_can_be_tuned_and_the_proxy_header_switched_off():
    tuned = production_settings(WEFT_HSTS_SECONDS="600", WEFT_HSTS_INCLUDE_SUBDOMAINS="false",
                                WEFT_BEHIND_PROXY="false")
    assert (tuned["SECURE_HSTS_SECONDS"], tuned["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
            tuned["SECURE_PROXY_SSL_HEADER"]) == (600, False, None)


@pytest.fixture
def https_settings(settings):
    """The production values of the HTTPS settings, applied to this process."""
    prod = production_settings()
    settings.SECURE_HSTS_SECONDS = prod["SECURE_HSTS_SECONDS"]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    settings.SECURE_PROXY_SSL_HEADER = tuple(prod["SECURE_PROXY_SSL_HEADER"])
    settings.SESSION_COOKIE_SECURE = prod["SESSION_COOKIE_SECURE"]
    settings.CSRF_COOKIE_SECURE = prod["CSRF_COOKIE_SECURE"]
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["https", "behind-proxy"])
def test_https_responses_carry_hsts_and_secure_cookies(tenant_a, admin_a, https_settings, how):
    extra = {"secure": True} if how == "https" else {"HTTP_X_FORWARDED_PROTO": "https"}
    client = Client(HTTP_HOST="alpha.localhost")

    page = client.get("/accounts/login/", **extra)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"] is True

    signed_in = client.post("/accounts/login/", {"email": admin_a.email, "password": PASSWORD}, **extra)
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert session["domain"] == ""  # host-only: never sent to another workspace's subdomain


@pytest.mark.django_db
def test_plain_http_gets_no_hsts_even_with_production_settings(tenant_a, https_settings):
    response = Client(HTTP_HOST="alpha.localhost").get("/accounts/login/")
    assert "Strict-Transport-Security" not in response
