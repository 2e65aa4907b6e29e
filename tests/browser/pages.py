"""Pages and steps the browser tests share: the main pages of each host, and
the ways a person gets a workspace and signs in."""

from __future__ import annotations

import json
import threading

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from .live import http

# The main pages: the public site, a workspace's sign-in page, and what a
# signed-in administrator opens (home, settings pages, lists).
PUBLIC_PAGES = ["/", "/signup/", "/login/"]
GUEST_PAGES = ["/accounts/login/", "/accounts/password-reset/"]
ADMIN_PAGES = [
    "/", "/crm/customers/", "/crm/customers/new/", "/crm/customers/import/", "/crm/opportunities/",
    "/crm/pipeline/", "/crm/pipeline/analysis/", "/catalog/products/", "/catalog/categories/",
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


def committed_in(schema_name: str, work) -> None:
    """Run ``work(hash_password)`` in the workspace's schema so the live server
    sees its rows: from a thread, which has its own autocommit connection
    outside the test's transaction. ``hash_password`` uses the server's hasher
    (the test settings only know MD5)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    failure: list[BaseException] = []

    def run():
        try:
            with schema_context(schema_name):
                work(lambda raw: hasher.encode(raw, hasher.salt()))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
