"""/api/v1/billing/ (summary), /checkout/, /portal/, /change-plan/: happy
path, validation errors, permission denied, unauthenticated, other tenant,
offline mode. (Billing is not a module, so there is no module-disabled case.)"""

import pytest

from billing.models import Subscription
from tests.factories import RoleFactory

from .conftest import CHECKOUT_URL, PORTAL_URL, error_of

URL = "/api/v1/billing/"
STARTER_DROPS = ["contracts", "distribution", "finance", "service", "inventory"]


@pytest.fixture
def staff_a(tenant_a, make_user):
    from django_tenants.utils import schema_context

    with schema_context(tenant_a.schema_name):
        role = RoleFactory(name="Everything but admin", permissions=["core.user.view", "core.user.add"])
    return make_user(tenant_a, roles=[role], email="staff@alpha.test")


def test_summary_offline(stripe_off, tenant_a, admin_a, api_for):
    response = api_for(tenant_a, admin_a).get(URL)
    assert response.status_code == 200
    body = response.json()
    plans = body.pop("plans")
    trial_ends_at = body.pop("trial_ends_at")
    assert trial_ends_at is not None
    assert body == {
        "configured": False, "state": "trialing", "read_only": False, "grace_ends_at": None,
        "plan": {"code": "trial", "name": "Trial", "description": "Every module for 14 days, up to 10 users.",
                 "modules": ["crm", "distribution", "inventory", "contracts", "service", "finance", "oa"],
                 "seat_limit": 10, "monthly_price_per_seat": "0.00", "yearly_price_per_seat": "0.00",
                 "currency": "USD"},
        "interval": None, "subscription_status": "none", "current_period_end": None, "cancel_at_period_end": False,
        "seats_used": 1, "seat_limit": 10, "has_billing_account": False,
    }
    assert [(p["plan"]["code"], p["is_current"], p["modules_to_disable"], p["intervals"]) for p in plans] == [
        ("starter", False, STARTER_DROPS, []),
        ("business", False, ["contracts", "service"], []),
        ("enterprise", False, [], []),
    ]
    assert plans[1]["plan"]["monthly_price_per_seat"] == "29.00"


def test_summary_online_with_a_subscription(stripe_on, tenant_a, admin_a, api_for, live_a):
    body = api_for(tenant_a, admin_a).get(URL).json()
    assert (body["configured"], body["state"], body["interval"], body["subscription_status"],
            body["has_billing_account"], body["seat_limit"]) == (True, "active", "month", "active", True, None)
    assert [(p["plan"]["code"], p["is_current"], p["intervals"]) for p in body["plans"]] == [
        ("starter", False, ["month", "year"]), ("business", False, ["month", "year"]),
        ("enterprise", True, ["month", "year"]),
    ]


def test_checkout(stripe_on, tenant_a, admin_a, api_for):
    stripe_on.customer_create()
    stripe_on.checkout_create()
    response = api_for(tenant_a, admin_a).post(f"{URL}checkout/", {"plan": "enterprise", "interval": "year"},
                                               format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"url": CHECKOUT_URL}
    assert Subscription.objects.get(tenant=tenant_a).stripe_customer_id == "cus_alpha"


def test_checkout_that_drops_modules_needs_confirm(stripe_on, tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    error = error_of(api.post(f"{URL}checkout/", {"plan": "starter"}, format="json"), 409)
    assert list(error["fields"]) == ["confirm"]
    assert error["message"].startswith("Starter does not include Contracts, Distribution, Finance, Service, Inventory.")
    assert stripe_on.requests() == []
    assert not Subscription.objects.filter(tenant=tenant_a).exists()
    stripe_on.customer_create()
    stripe_on.checkout_create()
    confirmed = api.post(f"{URL}checkout/", {"plan": "starter", "confirm": True}, format="json")
    assert confirmed.json() == {"url": CHECKOUT_URL}


@pytest.mark.parametrize("body,field", [
    ({"plan": "platinum"}, "plan"),
    ({"plan": "trial"}, "plan"),
    ({"plan": "starter", "interval": "weekly"}, "interval"),
    ({}, "plan"),
])
def test_checkout_validation(body, field, stripe_on, tenant_a, admin_a, api_for):
    error = error_of(api_for(tenant_a, admin_a).post(f"{URL}checkout/", body, format="json"), 400)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert stripe_on.requests() == []


def test_plan_without_a_stripe_price_is_refused(stripe_on, settings, tenant_a, admin_a, api_for):
    settings.STRIPE_PRICE_IDS = {"enterprise:month": "price_enterprise_m"}
    error = error_of(api_for(tenant_a, admin_a).post(f"{URL}checkout/", {"plan": "enterprise", "interval": "year"},
                                                     format="json"), 400)
    assert error["fields"] == {"interval": ["Enterprise cannot be bought online with this billing interval yet."]}


def test_portal(stripe_on, tenant_a, admin_a, api_for, linked_a):
    stripe_on.portal_create()
    response = api_for(tenant_a, admin_a).post(f"{URL}portal/")
    assert response.status_code == 200
    assert response.json() == {"url": PORTAL_URL}


def test_change_plan_without_subscription_goes_to_checkout(stripe_on, tenant_a, admin_a, api_for, linked_a):
    stripe_on.checkout_create()
    response = api_for(tenant_a, admin_a).post(f"{URL}change-plan/", {"plan": "business", "confirm": True},
                                               format="json")
    assert response.json() == {"status": "checkout", "plan": "business", "interval": "month", "url": CHECKOUT_URL,
                               "modules_to_disable": ["contracts", "service"]}


def test_change_plan_to_the_same_plan_is_a_validation_error(stripe_on, tenant_a, admin_a, api_for, live_a):
    error = error_of(api_for(tenant_a, admin_a).post(f"{URL}change-plan/", {"plan": "enterprise"}, format="json"),
                     400)
    assert error["fields"] == {"plan": ["This workspace is already on this plan."]}
    assert stripe_on.requests() == []


@pytest.mark.parametrize("method,path", [("get", ""), ("post", "checkout/"), ("post", "portal/"),
                                         ("post", "change-plan/")])
def test_non_admins_are_refused(method, path, stripe_on, tenant_a, staff_a, api_for, linked_a):
    response = getattr(api_for(tenant_a, staff_a), method)(f"{URL}{path}", {"plan": "enterprise"}, format="json")
    assert error_of(response, 403)["code"] == "permission_denied"
    assert stripe_on.requests() == []
    assert Subscription.objects.get(pk=linked_a.pk).stripe_subscription_id is None


@pytest.mark.parametrize("method,path", [("get", ""), ("post", "checkout/"), ("post", "portal/"),
                                         ("post", "change-plan/")])
def test_unauthenticated_is_401(method, path, stripe_on, tenant_a, api_for):
    response = getattr(api_for(tenant_a), method)(f"{URL}{path}", {"plan": "enterprise"}, format="json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert stripe_on.requests() == []


def test_another_tenant_sees_only_its_own_billing(stripe_on, tenant_a, tenant_b, admin_a, admin_b, api_for, live_a):
    body = api_for(tenant_b, admin_b).get(URL)
    assert body.status_code == 200
    assert (body.json()["subscription_status"], body.json()["has_billing_account"], body.json()["state"]) == (
        "none", False, "trialing")
    assert b"cus_alpha" not in body.content and b"sub_alpha" not in body.content
    # Alpha's token does not work on beta's host, not even for billing.
    api = api_for(tenant_a, admin_a)
    assert api.get(URL, HTTP_HOST="beta.localhost").status_code == 401
    assert api.post(f"{URL}portal/", HTTP_HOST="beta.localhost").status_code == 401


@pytest.mark.parametrize("path,body", [("checkout/", {"plan": "enterprise"}), ("portal/", {}),
                                       ("change-plan/", {"plan": "enterprise"})])
def test_offline_mode_refuses_payments_but_the_api_works(path, body, stripe_off, tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    error = error_of(api.post(f"{URL}{path}", body, format="json"), 409)
    assert error["message"] == "Billing is not configured on this installation: the workspace runs in trial mode."
    assert [u["email"] for u in api.get("/api/v1/users/").json()["results"]] == ["admin@alpha.test"]
