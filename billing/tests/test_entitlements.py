"""Entitlements: seat limits (invite, accept, reactivate; refused with nothing
created) and downgrades that ask first, then switch modules off keeping data."""

import time

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from billing.entitlements import assert_seat_available, modules_dropped_by, seats_used
from billing.models import Plan, Subscription
from core.audit.models import AuditEntry
from core.errors import DomainError
from core.users.models import Invitation, User
from core.users.services import invitation_accept, invitation_issue, user_invite, user_update
from modules.crm.models import Customer
from tenants.models import Tenant, TenantModule
from tests.factories import UserFactory

from .conftest import error_of, event, subscription_object

NOW = int(time.time())
ALL = ["contracts", "crm", "distribution", "finance", "inventory", "oa", "service"]


def enabled(tenant) -> list[str]:
    return sorted(TenantModule.objects.filter(tenant=tenant, enabled=True).values_list("key", flat=True))


def people(tenant):
    with schema_context(tenant.schema_name):
        return (sorted(User.objects.values_list("email", "is_active")), Invitation.objects.count(),
                AuditEntry.objects.count())


def fill_seats(tenant, count: int) -> None:
    with schema_context(tenant.schema_name):
        for n in range(count):
            UserFactory(email=f"member{n}@alpha.test")


# ------------------------------------------------------------------ seats


def test_seats_count_active_members_and_pending_invitations_not_support(tenant_a, admin_a):
    with schema_context(tenant_a.schema_name):
        UserFactory(email="active@alpha.test")
        UserFactory(email="gone@alpha.test", is_active=False)
        UserFactory(email="support@alpha.test", is_support=True)
        invited = UserFactory(email="invited@alpha.test", is_active=False)
        invitation_issue(user=invited)
        lapsed = UserFactory(email="lapsed@alpha.test", is_active=False)
        invitation_issue(user=lapsed, days=-1)
    assert seats_used(tenant_a) == 3  # admin, active, invited


def test_invite_past_the_seat_limit_is_refused_with_nothing_created(tenant_a, admin_a):
    fill_seats(tenant_a, 9)  # trial plan: 10 seats, the admin holds one
    before = people(tenant_a)
    mail.outbox.clear()
    with schema_context(tenant_a.schema_name), pytest.raises(DomainError) as exc:
        user_invite(by=admin_a, email="eleven@alpha.test", full_name="One Too Many")
    assert exc.value.code == "conflict"
    assert exc.value.message == ("Your plan (Trial) includes 10 users and all of them are taken. "
                                 "Deactivate a member or upgrade your plan to add more.")
    assert people(tenant_a) == before
    assert mail.outbox == []


def test_invite_past_the_limit_over_the_api_is_409(tenant_a, admin_a, api_for):
    fill_seats(tenant_a, 9)
    before = people(tenant_a)
    response = api_for(tenant_a, admin_a).post("/api/v1/users/invite/",
                                               {"email": "eleven@alpha.test", "full_name": "One Too Many"},
                                               format="json")
    error = error_of(response, 409)
    assert error["code"] == "conflict"
    assert "includes 10 users" in error["message"]
    assert people(tenant_a) == before


def test_the_last_seat_can_be_taken_and_a_deactivated_member_frees_one(tenant_a, admin_a):
    fill_seats(tenant_a, 8)
    with schema_context(tenant_a.schema_name):
        user_invite(by=admin_a, email="tenth@alpha.test", full_name="Tenth")
        User.objects.filter(email="member0@alpha.test").update(is_active=False)
        user_invite(by=admin_a, email="eleventh@alpha.test", full_name="Eleventh")
    assert seats_used(tenant_a) == 10


def test_unlimited_plan_has_no_seat_limit(tenant_a, admin_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(plan_code="enterprise")
    fill_seats(tenant_a, 12)
    with schema_context(tenant_a.schema_name):
        user_invite(by=admin_a, email="many@alpha.test", full_name="Many")
    assert seats_used(tenant_a) == 14


def test_accepting_an_invitation_needs_a_free_seat(tenant_a, admin_a):
    Plan.objects.create(code="duo", name="Duo", modules=ALL, seat_limit=2, is_public=False)
    with schema_context(tenant_a.schema_name):
        invited = user_invite(by=admin_a, email="late@alpha.test", full_name="Late")
        token = invitation_issue(user=invited)
        UserFactory(email="other@alpha.test")
    Tenant.objects.filter(pk=tenant_a.pk).update(plan_code="duo")  # e.g. ops moved the tenant to a smaller plan
    with schema_context(tenant_a.schema_name):
        with pytest.raises(DomainError) as exc:
            invitation_accept(token=token, password="Long-enough-pass-2026")
        assert "includes 2 users" in exc.value.message
        assert User.objects.get(email="late@alpha.test").is_active is False
        User.objects.filter(email="other@alpha.test").update(is_active=False)
        assert invitation_accept(token=token, password="Long-enough-pass-2026").is_active is True


def test_reactivating_a_member_needs_a_free_seat(tenant_a, admin_a):
    fill_seats(tenant_a, 9)
    with schema_context(tenant_a.schema_name):
        User.objects.filter(email="member0@alpha.test").update(is_active=False)
        UserFactory(email="member-new@alpha.test")
        gone = User.objects.get(email="member0@alpha.test")
        with pytest.raises(DomainError) as exc:
            user_update(user=gone, by=admin_a, is_active=True)
        assert exc.value.code == "conflict"
        assert User.objects.get(pk=gone.pk).is_active is False


def test_seat_check_is_a_no_op_in_the_public_schema(db):
    assert assert_seat_available() is None


# ------------------------------------------------------------------ modules


def test_modules_dropped_are_ordered_dependents_first(tenant_a):
    assert enabled(tenant_a) == ALL
    starter = Plan.objects.get(code="starter")
    assert modules_dropped_by(tenant_a, starter) == ["contracts", "distribution", "finance", "service", "inventory"]
    assert modules_dropped_by(tenant_a, Plan.objects.get(code="enterprise")) == []
    # A plan keeping a module but not its dependency drops that module too.
    odd = Plan.objects.create(code="odd", name="Odd", modules=["distribution", "inventory", "oa"])
    assert modules_dropped_by(tenant_a, odd) == ["contracts", "distribution", "finance", "service", "crm"]


@pytest.fixture
def solo_plan(db, stripe_on, settings):
    settings.STRIPE_PRICE_IDS = {**settings.STRIPE_PRICE_IDS, "solo:month": "price_solo_m"}
    return Plan.objects.create(code="solo", name="Solo", modules=["oa"], seat_limit=5, sort_order=9,
                               monthly_price_per_seat="5.00", yearly_price_per_seat="50.00")


def test_downgrade_asks_first_then_switches_modules_off_keeping_data(solo_plan, stripe_on, tenant_a, admin_a,
                                                                    live_a, api_for, deliver):
    with schema_context(tenant_a.schema_name):
        customer = Customer.objects.create(name="Kept Co", owner=admin_a)
    api = api_for(tenant_a, admin_a)
    asked = api.post("/api/v1/billing/change-plan/", {"plan": "solo", "interval": "month"}, format="json")
    error = error_of(asked, 409)
    assert error["code"] == "conflict"
    assert error["message"] == ("Solo does not include Contracts, Distribution, Finance, Service, CRM, Inventory. "
                                "These modules will be switched off when the change takes effect; their data is "
                                "kept. Confirm to continue.")
    assert error["fields"] == {"confirm": [error["message"]]}
    assert stripe_on.requests() == []
    assert enabled(tenant_a) == ALL
    # Confirmed: Stripe changes the price; the modules stay on until Stripe confirms.
    stripe_on.subscription_update("sub_alpha", price="price_solo_m")
    confirmed = api.post("/api/v1/billing/change-plan/", {"plan": "solo", "interval": "month", "confirm": True},
                         format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json() == {"status": "requested", "plan": "solo", "interval": "month", "url": None,
                                "modules_to_disable": ["contracts", "distribution", "finance", "service",
                                                       "crm", "inventory"]}
    assert stripe_on.requests("POST", "/v1/subscriptions/sub_alpha")[0]["form"]["items[0][price]"] == "price_solo_m"
    assert enabled(tenant_a) == ALL
    # Stripe's webhook: the change takes effect.
    deliver(event("customer.subscription.updated", subscription_object(status="active", price="price_solo_m"),
                  created=NOW))
    assert enabled(tenant_a) == ["oa"]
    assert sorted(TenantModule.objects.filter(tenant=tenant_a).values_list("key", flat=True)) == ALL
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "solo"
    assert Subscription.objects.get(pk=live_a.pk).plan.code == "solo"
    assert api.get("/api/v1/crm/customers/").json()["error"]["code"] == "module_disabled"
    with schema_context(tenant_a.schema_name):
        assert Customer.objects.filter(pk=customer.pk, name="Kept Co").exists()
    # Back on a plan with CRM and switched on again: the data is there.
    deliver(event("customer.subscription.updated", subscription_object(status="active"), created=NOW + 1))
    assert api.patch("/api/v1/modules/crm/", {"enabled": True}, format="json").status_code == 200
    assert [c["name"] for c in api.get("/api/v1/crm/customers/").json()["results"]] == ["Kept Co"]


def test_downgrade_below_the_seats_in_use_is_refused(solo_plan, stripe_on, tenant_a, admin_a, live_a, api_for):
    fill_seats(tenant_a, 5)
    response = api_for(tenant_a, admin_a).post("/api/v1/billing/change-plan/",
                                               {"plan": "solo", "interval": "month", "confirm": True}, format="json")
    error = error_of(response, 409)
    assert error["message"] == "Solo includes 5 users but 6 seats are taken. Deactivate members first."
    assert stripe_on.requests() == []
    assert Tenant.objects.get(pk=tenant_a.pk).plan_code == "enterprise"
