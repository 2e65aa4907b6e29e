"""CSRF: every POST form in the main pages carries a token, and a POST
without one is refused with nothing changed: on the root site, on workspace
pages, and for the API when it is called with the web session (a bearer token
needs no CSRF token: it is never sent by a browser on its own)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from conftest import PASSWORD, host_of
from tenants.models import Tenant, TenantModule
from tests.browser.pages import ADMIN_PAGES, GUEST_PAGES, PUBLIC_PAGES

pytestmark = pytest.mark.django_db


class FormScanner(HTMLParser):
    """Each <form>: its method, action and the CSRF token value it holds."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"),
                          "token": None}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("name") == "csrfmiddlewaretoken":
            self._open["token"] = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def post_forms(html: str) -> list[dict]:
    scanner = FormScanner()
    scanner.feed(html)
    return [form for form in scanner.forms if form["method"] == "post"]


def forms_without_token(client, paths) -> dict:
    missing, posts = {}, 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        forms = post_forms(response.content.decode())
        posts += len(forms)
        bad = [form["action"] for form in forms if not form["token"] or len(form["token"]) != 64]
        if bad:
            missing[path] = bad
    return {"missing": missing, "post_forms": posts}


def test_every_post_form_on_the_root_site_carries_a_token():
    found = forms_without_token(Client(HTTP_HOST=settings.ROOT_DOMAIN), PUBLIC_PAGES)
    assert found["missing"] == {}
    assert found["post_forms"] >= len(PUBLIC_PAGES)  # each page has at least the language switch


def test_every_post_form_in_a_workspace_carries_a_token(tenant_a, admin_a, make_user, web_for):
    from modules.crm.models import Customer

    member = make_user(tenant_a, email="csrf-member@alpha.test", full_name="Cy Member")
    with schema_context(tenant_a.schema_name):
        customer = Customer.objects.create(name="Csrf Customer", owner=admin_a)
    detail_pages = [f"/crm/customers/{customer.pk}/", f"/crm/customers/{customer.pk}/edit/",
                    f"/crm/customers/{customer.pk}/delete/", f"/settings/users/{member.pk}/edit/"]

    assert forms_without_token(web_for(tenant_a), GUEST_PAGES)["missing"] == {}
    found = forms_without_token(web_for(tenant_a, admin_a), ADMIN_PAGES + detail_pages)
    assert found["missing"] == {}
    # Language switch and sign-out on every page, plus the pages' own forms.
    assert found["post_forms"] >= 2 * len(ADMIN_PAGES + detail_pages)


def strict(host, user=None, tenant=None) -> Client:
    client = Client(HTTP_HOST=host, enforce_csrf_checks=True)
    if user is not None:
        with schema_context(tenant.schema_name):
            client.force_login(user)
    return client


def test_workspace_posts_without_a_token_are_refused_and_change_nothing(tenant_a, admin_a):
    from core.users.models import User

    client = strict(host_of(tenant_a), admin_a, tenant_a)
    refused = {
        "/settings/modules/crm/": {"enabled": "0"},
        "/settings/users/invite/": {"email": "sneaky@alpha.test", "full_name": "Sneaky"},
        "/settings/": {"name": "Renamed by a forged form", "language": "en", "timezone": "UTC"},
        "/accounts/logout/": {},
        "/i18n/setlang/": {"language": "zh-hans", "next": "/"},
    }
    for path, data in refused.items():
        assert client.post(path, data).status_code == 403, path

    assert TenantModule.objects.get(tenant=tenant_a, key="crm").enabled is True
    assert Tenant.objects.get(pk=tenant_a.pk).name == "Alpha Ltd"
    with schema_context(tenant_a.schema_name):
        assert not User.objects.filter(email="sneaky@alpha.test").exists()
    home = client.get("/")
    assert home.status_code == 200 and '<html lang="en">' in home.content.decode()  # still signed in, still English

    # The same request with the page's token goes through: the refusal above was the CSRF check.
    page = client.get("/settings/modules/")
    token = post_forms(page.content.decode())[0]["token"]
    switched = client.post("/settings/modules/oa/", {"enabled": "0", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert TenantModule.objects.get(tenant=tenant_a, key="oa").enabled is False


def test_guest_and_root_site_posts_without_a_token_are_refused(tenant_a, admin_a):
    login = strict(host_of(tenant_a)).post("/accounts/login/", {"email": admin_a.email, "password": PASSWORD})
    assert login.status_code == 403 and "sessionid" not in login.cookies

    before = set(Tenant.objects.values_list("pk", flat=True))
    signup = strict(settings.ROOT_DOMAIN).post("/signup/", {
        "company_name": "Forged Ltd", "subdomain": "forged-signup", "admin_name": "F",
        "admin_email": "f@forged.test", "admin_password": "Forged-pass-2026", "plan": "trial",
    })
    assert signup.status_code == 403
    assert set(Tenant.objects.values_list("pk", flat=True)) == before


def test_api_with_the_web_session_needs_the_token_and_bearer_tokens_do_not(tenant_a, admin_a, api_for):
    from core.org.models import Department

    session = strict(host_of(tenant_a), admin_a, tenant_a)
    refused = session.post("/api/v1/departments/", {"name": "Forged"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    with schema_context(tenant_a.schema_name):
        assert not Department.objects.filter(name="Forged").exists()

    session.get("/settings/departments/")  # a page with a form sets the CSRF cookie
    token = session.cookies["csrftoken"].value
    allowed = session.post("/api/v1/departments/", {"name": "With token"}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 201

    bearer = api_for(tenant_a, admin_a).post("/api/v1/departments/", {"name": "By bearer"}, format="json")
    assert bearer.status_code == 201
    with schema_context(tenant_a.schema_name):
        assert set(Department.objects.filter(name__in=["With token", "By bearer"]).values_list("name", flat=True)) \
            == {"With token", "By bearer"}
