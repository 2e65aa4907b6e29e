"""The root domain's pages: landing with plans from the database, web signup
(handoff, validation, reserved names, rate limit) and the workspace sign-in
redirect."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client

from billing.models import Plan
from core.modules import registry
from tenants import ratelimit
from tenants.models import Domain, SignupHandoff, Tenant, TenantModule

GOOD = {
    "company_name": "Delta Devices",
    "subdomain": "delta-dev",
    "admin_name": "Dora Delta",
    "admin_email": "dora@delta.test",
    "admin_password": "Long-enough-pass-9",
    "plan": "",
}


def root(ip="198.51.100.10"):
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=ip)


def platform_counts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        schemas = cursor.fetchone()[0]
    return (schemas, Tenant.objects.count(), Domain.objects.count(), TenantModule.objects.count(),
            SignupHandoff.objects.count())


def plan_card(html: str, code: str) -> str:
    match = re.search(rf'<article class="plan-card[^"]*" data-plan="{re.escape(code)}">(.*?)</article>', html, re.S)
    assert match, f"no card for plan {code}"
    return match.group(1)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


# Landing ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_landing_lists_every_public_plan_from_the_database():
    Plan.objects.create(
        code="galaxy", name="Galaxy", description="For very large channels.", modules=["crm", "inventory"],
        seat_limit=123, monthly_price_per_seat=Decimal("77.00"), yearly_price_per_seat=Decimal("700.00"),
        trial_days=21, sort_order=9,
    )
    Plan.objects.create(code="secret", name="Hidden Deal", modules=["crm"], is_public=False)

    response = root().get("/")

    assert response.status_code == 200
    html = response.content.decode()
    public = list(Plan.objects.filter(is_public=True).values_list("code", flat=True))
    assert public == ["trial", "starter", "business", "enterprise", "galaxy"]
    shown = re.findall(r'data-plan="([^"]+)"', html)
    assert shown == public
    assert "Hidden Deal" not in html

    galaxy = text_of(plan_card(html, "galaxy"))
    assert "Galaxy" in galaxy and "For very large channels." in galaxy
    assert "$77 per user / month" in galaxy
    assert "or $700 per user / year" in galaxy
    assert "save 24%" in galaxy  # 700 vs 12 x 77 = 924
    assert "Up to 123 users" in galaxy
    assert "21-day free trial" in galaxy
    card = plan_card(html, "galaxy")
    included = re.findall(r'<li class="included">.*?</span>([^<]+)</li>', card)
    excluded = re.findall(r'<li class="excluded">.*?</span>([^<]+)</li>', card)
    assert included == ["CRM", "Inventory"]
    assert len(included) + len(excluded) == len(registry.keys())
    assert 'href="/signup/?plan=galaxy"' in card

    enterprise = text_of(plan_card(html, "enterprise"))
    assert "Unlimited users" in enterprise and "$49 per user / month" in enterprise
    assert "30-day free trial" in enterprise
    trial = text_of(plan_card(html, "trial"))
    assert "Free for 14 days" in trial and "Up to 10 users" in trial


@pytest.mark.django_db
def test_landing_sells_the_seven_modules():
    html = root().get("/").content.decode()
    keys = re.findall(r'data-module-key="([^"]+)"', html)
    assert keys == ["crm", "distribution", "inventory", "contracts", "service", "finance", "oa"]
    for spec in registry.all():
        assert str(spec.name) in html and str(spec.description) in html
    assert 'href="/signup/"' in html and 'href="/login/"' in html


# Signup ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_signup_page_shows_the_form_with_root_domain_suffix_and_trial_preselected():
    response = root().get("/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("company_name", "subdomain", "admin_name", "admin_email", "admin_password", "plan"):
        assert f'name="{name}"' in html
    assert '<span class="input-group-text input-suffix">.localhost</span>' in html
    assert re.search(r'<option value="trial" selected>', html)

    chosen = root().get("/signup/?plan=business").content.decode()
    assert re.search(r'<option value="business" selected>', chosen)


@pytest.mark.django_db
def test_signup_redirects_to_the_handoff_which_signs_the_admin_in():
    response = root().post("/signup/", {**GOOD, "plan": "starter"})

    assert response.status_code == 302, response.content.decode()[:2000]
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == ("http", "delta-dev.localhost:8000", "/auth/handoff/")
    token = parse_qs(location.query)["token"][0]
    tenant = Tenant.objects.get(subdomain="delta-dev")
    assert tenant.name == "Delta Devices"
    assert tenant.plan_code == "starter"
    assert tenant.language == "en"
    assert set(tenant.modules.filter(enabled=True).values_list("key", flat=True)) == {"crm", "oa"}

    browser = Client(HTTP_HOST="delta-dev.localhost")
    landed = browser.get(f"/auth/handoff/?token={token}")
    assert landed.status_code == 302 and landed["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user.email == "dora@delta.test"
    assert "Welcome, Dora Delta" in home.content.decode()


@pytest.mark.django_db
def test_signup_in_chinese_makes_a_chinese_workspace():
    client = root()
    client.cookies["django_language"] = "zh-hans"
    response = client.post("/signup/", {**GOOD, "subdomain": "zh-co"})
    assert response.status_code == 302
    assert Tenant.objects.get(subdomain="zh-co").language == "zh-hans"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("subdomain", "ab", "Use 3 to 40 characters."),
        ("subdomain", "Bad_Name", "Use lowercase letters, digits and single hyphens"),
        ("subdomain", "www", "This subdomain is reserved."),
        ("subdomain", "ops", "This subdomain is reserved."),
        ("subdomain", "alpha", "This subdomain is already taken."),
        ("admin_email", "not-an-email", "Enter a valid email address."),
        ("admin_password", "123", "This password is too short."),
        ("company_name", "", "This field is required."),
        ("plan", "no-such-plan", "Select a valid choice."),
    ],
)
def test_signup_with_bad_input_shows_errors_and_creates_nothing(field, value, message):
    before = platform_counts()

    response = root().post("/signup/", {**GOOD, field: value})

    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(rf'<div class="invalid-feedback d-block" id="id_{field}_errors">(.*?)</div>\s*</div>', html, re.S)
    assert errors, f"no error block for {field}"
    assert message in text_of(errors.group(1)).replace("&#x27;", "'")
    assert re.search(rf'name="{field}"[^>]*class="[^"]*is-invalid', html)
    assert "Please correct the highlighted fields." in html
    assert platform_counts() == before
    if field != "company_name":
        assert 'value="Delta Devices"' in html  # what was typed is kept
    assert 'value="Long-enough-pass-9"' not in html  # passwords are never echoed


@pytest.mark.django_db
def test_reserved_subdomain_is_refused_for_every_reserved_name_sampled():
    from tenants.services import RESERVED_SUBDOMAINS

    before = platform_counts()
    for name in sorted(RESERVED_SUBDOMAINS)[:5]:
        response = root().post("/signup/", {**GOOD, "subdomain": name})
        assert response.status_code == 400
        assert "This subdomain is reserved." in response.content.decode()
    assert platform_counts() == before


# Rate limit ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_signups_past_the_hourly_limit_get_429_and_create_nothing(settings):
    settings.SIGNUP_RATE_PER_HOUR = 2
    for n in range(2):
        response = root(ip="203.0.113.7").post("/signup/", {**GOOD, "subdomain": f"burst-{n}"})
        assert response.status_code == 302, response.content.decode()[:2000]
    before = platform_counts()

    refused = root(ip="203.0.113.7").post("/signup/", {**GOOD, "subdomain": "burst-2"})

    assert refused.status_code == 429
    assert "Too many workspaces were created from your network" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert platform_counts() == before
    assert not Tenant.objects.filter(subdomain="burst-2").exists()
    # Another client is not affected.
    other = root(ip="203.0.113.8").post("/signup/", {**GOOD, "subdomain": "burst-3"})
    assert other.status_code == 302


@pytest.mark.django_db
def test_refused_attempts_do_not_use_up_the_allowance(settings):
    settings.SIGNUP_RATE_PER_HOUR = 1
    assert root(ip="203.0.113.9").post("/signup/", {**GOOD, "subdomain": "www"}).status_code == 400
    assert root(ip="203.0.113.9").post("/signup/", {**GOOD, "subdomain": "typo-co"}).status_code == 302
    assert root(ip="203.0.113.9").post("/signup/", {**GOOD, "subdomain": "typo-co2"}).status_code == 429


def test_ipv6_clients_are_counted_per_64_network():
    assert ratelimit.client_key("2001:db8:1:2::1") == ratelimit.client_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert ratelimit.client_key("2001:db8:1:3::1") != ratelimit.client_key("2001:db8:1:2::1")
    assert ratelimit.client_key("::ffff:192.0.2.4") == "192.0.2.4"
    assert ratelimit.client_key("192.0.2.4") == "192.0.2.4"
    assert ratelimit.client_key("garbage") == ratelimit.client_key(None) == "unknown"


@pytest.mark.django_db
def test_rate_check_counts_and_refunds_exactly(settings):
    settings.SIGNUP_RATE_PER_HOUR = 2
    ratelimit.signup_rate_check("192.0.2.50")
    ratelimit.signup_rate_check("192.0.2.50")
    with pytest.raises(ratelimit.SignupRateLimited) as refused:
        ratelimit.signup_rate_check("192.0.2.50")
    assert refused.value.status == 429
    ratelimit.signup_rate_refund("192.0.2.50")
    ratelimit.signup_rate_check("192.0.2.50")  # the refunded slot is free again
    with pytest.raises(ratelimit.SignupRateLimited):
        ratelimit.signup_rate_check("192.0.2.50")


# Workspace sign-in ---------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["alpha", "  Alpha ", "alpha.localhost", "http://alpha.localhost:8000/crm/"])
def test_workspace_login_redirects_to_the_workspace_sign_in_page(tenant_a, typed):
    response = root().post("/login/", {"workspace": typed})
    assert response.status_code == 302
    assert response["Location"] == "http://alpha.localhost:8000/accounts/login/"


@pytest.mark.django_db
def test_workspace_login_for_an_unknown_workspace_says_so():
    response = root().post("/login/", {"workspace": "nobody-here"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No workspace at nobody-here.localhost." in html
    assert 'value="nobody-here"' in html


@pytest.mark.django_db
def test_workspace_login_ignores_template_and_spare_schemas():
    spare = Tenant.objects.exclude(kind="customer").exclude(schema_name="public").first()
    assert spare is not None
    Domain.objects.create(domain="spare-x.localhost", tenant=spare, is_primary=False)
    response = root().post("/login/", {"workspace": "spare-x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_workspace_login_page_renders():
    response = root().get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="workspace"' in html and ".localhost</span>" in html
