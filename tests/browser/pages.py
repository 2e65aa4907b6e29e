"""Pages and steps the browser tests share: the main pages of each host, and
the ways a person gets a workspace and signs in."""

from __future__ import annotations

import json

from django.conf import settings

from .live import http

# The main pages: the public site, a workspace's sign-in page, and what a
# signed-in administrator opens (home, settings pages, lists).
PUBLIC_PAGES = ["/", "/signup/", "/login/"]
GUEST_PAGES = ["/accounts/login/", "/accounts/password-reset/"]
ADMIN_PAGES = [
    "/", "/crm/customers/", "/crm/customers/new/", "/catalog/products/", "/catalog/categories/",
    "/settings/", "/settings/modules/", "/settings/users/", "/settings/users/invite/",
    "/settings/departments/", "/settings/roles/", "/settings/roles/new/", "/settings/tokens/", "/audit/",
]
PASSWORD = "Journey-pass-2026"


def signup_via_api(server, subdomain: str, *, plan: str | None = None, email: str | None = None) -> dict:
    """A workspace made through the public signup API; returns its answer
    (``login_url`` is a single-use sign-in link, good for 60 s)."""
    payload = {
        "company_name": f"{subdomain.title()} Ltd", "subdomain": subdomain, "admin_name": "Ada Admin",
        "admin_email": email or f"ada@{subdomain}.test", "admin_password": PASSWORD,
    }
    if plan:
        payload["plan"] = plan
    status, _headers, body = http(
        "POST", f"{server.loopback}/api/v1/signup/", host=settings.ROOT_DOMAIN,
        headers={"Content-Type": "application/json"}, body=json.dumps(payload).encode(),
    )
    assert status == 201, body.decode(errors="replace")
    return {**json.loads(body), "email": payload["admin_email"], "password": PASSWORD}


def sign_in(page, server, subdomain: str, email: str, password: str) -> None:
    page.goto(f"{server.tenant_url(subdomain)}/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{server.tenant_url(subdomain)}/")


def sidebar_links(page) -> list[str]:
    return [text.strip() for text in page.locator("#app-sidebar a.nav-link").all_inner_texts()]
