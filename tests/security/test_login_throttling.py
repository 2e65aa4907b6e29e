"""Login throttling beyond tests/test_auth.py (one email from one address):
an address that tries many accounts is stopped, and an account tried from
many addresses is stopped, on the API and on the sign-in page alike, while
other people keep signing in."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD, host_of

pytestmark = pytest.mark.django_db


def obtain(api, email, password, ip):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip)


def test_one_address_guessing_many_accounts_is_throttled(tenant_a, admin_a, make_user, api_for, settings):
    other = make_user(tenant_a, email="bystander@alpha.test")
    api = api_for(tenant_a)
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert obtain(api, f"guess{n}@alpha.test", "wrong", "10.20.0.1").status_code == 401

    throttled = obtain(api, admin_a.email, PASSWORD, "10.20.0.1")
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    # Right password or not: no token was issued to the throttled address.
    assert "token" not in throttled.json()
    # Everyone else still signs in.
    assert obtain(api, other.email, PASSWORD, "10.20.0.2").status_code == 200
    assert obtain(api, admin_a.email, PASSWORD, "10.20.0.3").status_code == 200


def test_one_account_guessed_from_many_addresses_is_throttled(tenant_a, admin_a, make_user, api_for, settings):
    other = make_user(tenant_a, email="neighbour@alpha.test")
    api = api_for(tenant_a)
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert obtain(api, admin_a.email, "wrong", f"10.30.0.{n + 1}").status_code == 401

    assert obtain(api, admin_a.email, PASSWORD, "10.30.1.1").status_code == 429
    assert obtain(api, other.email, PASSWORD, "10.30.1.1").status_code == 200


def test_the_sign_in_page_throttles_an_address_guessing_many_accounts(tenant_a, admin_a, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        page = Client(HTTP_HOST=host_of(tenant_a), REMOTE_ADDR="10.40.0.1").post(
            "/accounts/login/", {"email": f"guess{n}@alpha.test", "password": "wrong"})
        assert page.status_code == 400 and "Email or password is incorrect." in page.content.decode()

    browser = Client(HTTP_HOST=host_of(tenant_a), REMOTE_ADDR="10.40.0.1")
    page = browser.post("/accounts/login/", {"email": admin_a.email, "password": PASSWORD})
    assert page.status_code == 400
    assert "Too many failed sign-in attempts. Try again in a few minutes." in page.content.decode()
    assert "sessionid" not in browser.cookies
