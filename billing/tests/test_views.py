"""Billing pages on the tenant host: the page (offline and online), Checkout and
portal redirects, the downgrade confirmation page, access rules, CSP; and a
fresh install without Stripe keys where signup and the product work."""

import pytest
from django.test import Client

from billing.models import Subscription
from tenants.models import Tenant, TenantModule

from web.tests.test_security_headers import assert_no_inline_code

from .conftest import CHECKOUT_URL, PORTAL_URL

PAGE = "/billing/"


def csp_form_action(response) -> list[str]:
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        if name == "form-action":
            return values
    raise AssertionError("no form-action")


def test_offline_page_says_billing_is_not_configured_and_shows_the_facts(stripe_off, tenant_a, admin_a, web_for):
    response = web_for(tenant_a, admin_a).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Billing is not configured on this installation." in html
    assert '<dd class="col-sm-7" data-billing="plan">Trial</dd>' in html
    assert '<dd class="col-sm-7" data-billing="state">Trialing</dd>' in html
    assert '<dd class="col-sm-7" data-billing="seats">1 of 10 in use</dd>' in html
    assert "Continue to payment" not in html and "Manage card and invoices" not in html
    assert html.count('<tr data-plan="') == 3


def test_online_page_offers_checkout_and_allows_posting_to_stripe(stripe_on, tenant_a, admin_a, web_for):
    response = web_for(tenant_a, admin_a).get(PAGE)
    html = response.content.decode()
    assert "Billing is not configured" not in html
    assert 'action="/billing/checkout/"' in html and "Continue to payment" in html
    assert "Manage card and invoices" not in html
    assert csp_form_action(response)[-2:] == ["https://checkout.stripe.com", "https://billing.stripe.com"]
    # Other pages keep the strict policy.
    assert "https://checkout.stripe.com" not in csp_form_action(web_for(tenant_a, admin_a).get("/settings/"))


def test_page_with_a_live_subscription_offers_change_and_portal(stripe_on, tenant_a, admin_a, web_for, live_a):
    html = web_for(tenant_a, admin_a).get(PAGE).content.decode()
    assert 'action="/billing/change-plan/"' in html and 'action="/billing/portal/"' in html
    assert 'action="/billing/checkout/"' not in html
    assert '<dd class="col-sm-7" data-billing="seats">1 in use, unlimited</dd>' in html


def test_checkout_redirects_to_stripe(stripe_on, tenant_a, admin_a, web_for):
    stripe_on.customer_create()
    stripe_on.checkout_create()
    response = web_for(tenant_a, admin_a).post("/billing/checkout/", {"plan": "enterprise", "interval": "month"})
    assert (response.status_code, response["Location"]) == (302, CHECKOUT_URL)


def test_downgrade_confirmation_page_then_checkout(stripe_on, tenant_a, admin_a, web_for):
    web = web_for(tenant_a, admin_a)
    asked = web.post("/billing/checkout/", {"plan": "business", "interval": "year"})
    assert asked.status_code == 409
    html = asked.content.decode()
    assert '<ul data-billing="modules-to-disable"><li>Contracts</li><li>Service</li></ul>' in html
    assert '<input type="hidden" name="confirm" value="on">' in html
    assert '<input type="hidden" name="interval" value="year">' in html
    assert "https://checkout.stripe.com" in csp_form_action(asked)
    assert stripe_on.requests() == []
    stripe_on.customer_create()
    stripe_on.checkout_create()
    confirmed = web.post("/billing/checkout/", {"plan": "business", "interval": "year", "confirm": "on"})
    assert (confirmed.status_code, confirmed["Location"]) == (302, CHECKOUT_URL)
    assert sorted(TenantModule.objects.filter(tenant=tenant_a, enabled=True).values_list("key", flat=True)) == [
        "contracts", "crm", "distribution", "finance", "inventory", "oa", "service"]


def test_change_plan_request_shows_a_message(stripe_on, tenant_a, admin_a, web_for, live_a):
    stripe_on.subscription_update("sub_alpha")
    response = web_for(tenant_a, admin_a).post("/billing/change-plan/", {"plan": "enterprise", "interval": "year"},
                                               follow=True)
    assert b"Change to Enterprise requested. It takes effect as soon as Stripe confirms it." in response.content
    assert stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")[0]["form"]["items[0][price]"] == (
        "price_enterprise_y")


def test_portal_redirects_to_stripe(stripe_on, tenant_a, admin_a, web_for, linked_a):
    stripe_on.portal_create()
    response = web_for(tenant_a, admin_a).post("/billing/portal/")
    assert (response.status_code, response["Location"]) == (302, PORTAL_URL)


def test_refusals_come_back_as_messages(stripe_off, tenant_a, admin_a, web_for):
    response = web_for(tenant_a, admin_a).post("/billing/checkout/", {"plan": "enterprise", "interval": "month"},
                                               follow=True)
    assert b"Billing is not configured on this installation: the workspace runs in trial mode." in response.content
    bad = web_for(tenant_a, admin_a).post("/billing/change-plan/", {"plan": "nope", "interval": "month"},
                                          follow=True)
    assert b"Choose a plan and a billing interval." in bad.content


def test_checkout_result_messages(stripe_on, tenant_a, admin_a, web_for):
    web = web_for(tenant_a, admin_a)
    assert b"Your subscription is being set up" in web.get(PAGE, {"checkout": "done"}).content
    assert b"Checkout was canceled. Nothing was charged." in web.get(PAGE, {"checkout": "canceled"}).content


@pytest.mark.parametrize("method,path", [("get", PAGE), ("post", "/billing/checkout/"), ("post", "/billing/portal/"),
                                         ("post", "/billing/change-plan/")])
def test_non_admins_get_403_and_visitors_the_login(method, path, stripe_on, tenant_a, make_user, web_for):
    member = make_user(tenant_a, email="member@alpha.test")
    assert getattr(web_for(tenant_a, member), method)(path, {"plan": "enterprise"}).status_code == 403
    anonymous = getattr(web_for(tenant_a), method)(path, {"plan": "enterprise"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert stripe_on.requests() == []


def test_pages_have_no_inline_code(stripe_on, tenant_a, admin_a, web_for, live_a):
    web = web_for(tenant_a, admin_a)
    assert_no_inline_code(web.get(PAGE).content.decode())
    Tenant.objects.filter(pk=tenant_a.pk).update(plan_code="trial")
    assert_no_inline_code(web.post("/billing/change-plan/", {"plan": "starter", "interval": "month"}).content.decode())


def test_the_menu_links_the_page_for_admins(stripe_off, tenant_a, admin_a, web_for):
    assert b'href="/billing/"' in web_for(tenant_a, admin_a).get("/").content


@pytest.mark.concurrency
def test_fresh_install_without_keys_signs_up_and_works(stripe_off, django_db_setup, django_db_blocker):
    """Offline mode end to end, committed: signup on the root domain, then the
    product and the billing page on the new workspace."""
    with django_db_blocker.unblock():
        try:
            response = Client(HTTP_HOST="localhost").post(
                "/api/v1/signup/", {"company_name": "Offline Co", "subdomain": "offline-co", "admin_name": "Olga",
                                    "admin_email": "olga@offline.test", "admin_password": "Offline-pass-2026"},
                content_type="application/json")
            assert response.status_code == 201, response.content
            assert response.json()["state"] == "trialing"
            web = Client(HTTP_HOST="offline-co.localhost")
            assert web.post("/accounts/login/", {"email": "olga@offline.test",
                                                 "password": "Offline-pass-2026"}).status_code == 302
            page = web.get(PAGE)
            assert page.status_code == 200
            assert b"Billing is not configured on this installation." in page.content
            token = Client(HTTP_HOST="offline-co.localhost").post(
                "/api/v1/auth/token/", {"email": "olga@offline.test", "password": "Offline-pass-2026",
                                        "name": "t"}, content_type="application/json").json()["token"]
            api = Client(HTTP_HOST="offline-co.localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
            invited = api.post("/api/v1/users/invite/", {"email": "ivan@offline.test", "full_name": "Ivan"},
                               content_type="application/json")
            assert invited.status_code == 201, invited.content
            assert api.get("/api/v1/billing/").json()["seats_used"] == 2
            assert not Subscription.objects.filter(tenant__subdomain="offline-co").exists()
        finally:
            for tenant in Tenant.objects.filter(subdomain="offline-co"):
                tenant.delete(force_drop=True)
