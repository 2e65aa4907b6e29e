"""Signup through the API on the root domain: validation, reserved and taken
subdomains, the pool and clone paths, and all-or-nothing provisioning."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tenants import provisioning, services
from tenants.models import Domain, SignupHandoff, Tenant, TenantKind, TenantModule

GOOD = {
    "company_name": "Gamma Trading",
    "subdomain": "gamma-1",
    "admin_name": "Grace Gamma",
    "admin_email": "grace@gamma.test",
    "admin_password": "Long-enough-pass-9",
}


def root_api():
    return APIClient(HTTP_HOST="localhost")


def platform_counts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        schemas = cursor.fetchone()[0]
    return schemas, Tenant.objects.count(), Domain.objects.count(), TenantModule.objects.count()


@pytest.mark.django_db
def test_signup_creates_working_tenant_with_admin():
    response = root_api().post("/api/v1/signup/", GOOD, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subdomain"] == "gamma-1"
    assert body["url"] == "http://gamma-1.localhost:8000"
    assert body["state"] == "trialing"
    tenant = Tenant.objects.get(subdomain="gamma-1")
    assert tenant.kind == TenantKind.CUSTOMER
    assert tenant.schema_name.startswith("t_") and "gamma" not in tenant.schema_name
    assert Domain.objects.get(tenant=tenant).domain == "gamma-1.localhost"
    token = APIClient(HTTP_HOST="gamma-1.localhost").post(
        "/api/v1/auth/token/", {"email": "grace@gamma.test", "password": GOOD["admin_password"]}, format="json"
    )
    assert token.status_code == 200, token.content
    assert set(token.json()) == {"id", "token", "name", "expires_at"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message_part",
    [
        ("subdomain", "ab", "3 to 40"),
        ("subdomain", "a" * 41, "3 to 40"),
        ("subdomain", "dot.ted", "lowercase"),
        ("subdomain", "dou--ble", "lowercase"),
        ("subdomain", "-lead", "lowercase"),
        ("subdomain", "trail-", "lowercase"),
        ("subdomain", "under_score", "lowercase"),
        ("subdomain", "www", "reserved"),
        ("subdomain", "ops", "reserved"),
        ("subdomain", "alpha", "taken"),
        ("admin_email", "not-an-email", "valid email"),
        ("admin_password", "123", "too short"),
        ("company_name", "", "company name"),
        ("plan", "no-such-plan", "Unknown plan"),
    ],
)
def test_signup_rejects_bad_input_and_creates_nothing(field, value, message_part):
    before = platform_counts()
    response = root_api().post("/api/v1/signup/", {**GOOD, field: value}, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert message_part.lower() in " ".join(error["fields"][field]).lower()
    assert platform_counts() == before


@pytest.mark.django_db
def test_subdomain_may_start_with_digit_and_contain_hyphens():
    response = root_api().post("/api/v1/signup/", {**GOOD, "subdomain": "9lives-co"}, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_signup_claims_a_spare_when_the_pool_has_one():
    spare = provisioning.create_spare()
    result = services.tenant_signup(
        company_name="Pool Co", subdomain="pool-co", admin_name="Pat Pool",
        admin_email="pat@pool.test", admin_password=GOOD["admin_password"],
    )
    assert result.provisioned_from == "pool"
    assert result.tenant.pk in set(Tenant.objects.filter(subdomain="pool-co").values_list("pk", flat=True))
    assert Tenant.objects.get(subdomain="pool-co").schema_name in {spare.schema_name} | set(
        Tenant.objects.filter(kind=TenantKind.CUSTOMER).values_list("schema_name", flat=True)
    )


@pytest.mark.django_db
def test_signup_clones_when_pool_is_empty():
    Tenant.objects.filter(kind=TenantKind.SPARE).update(kind=TenantKind.TEMPLATE)  # hide spares (rolled back)
    result = services.tenant_signup(
        company_name="Clone Co", subdomain="clone-co", admin_name="Cleo Clone",
        admin_email="cleo@clone.test", admin_password=GOOD["admin_password"],
    )
    assert result.provisioned_from == "clone"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [result.tenant.schema_name])
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
@pytest.mark.parametrize("pool", [True, False], ids=["claim", "clone"])
def test_failure_after_claim_or_clone_leaves_nothing_behind(monkeypatch, pool):
    if pool:
        provisioning.create_spare()
    else:
        Tenant.objects.filter(kind=TenantKind.SPARE).update(kind=TenantKind.TEMPLATE)
    spares_before = list(Tenant.objects.filter(kind=TenantKind.SPARE).values_list("pk", "schema_name", "kind"))
    before = platform_counts()

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure while creating the admin")

    monkeypatch.setattr(services, "_create_admin", explode)
    with pytest.raises(RuntimeError, match="injected"):
        services.tenant_signup(
            company_name="Broken Co", subdomain="broken-co", admin_name="Bo Broken",
            admin_email="bo@broken.test", admin_password=GOOD["admin_password"],
        )
    assert platform_counts() == before
    assert list(Tenant.objects.filter(kind=TenantKind.SPARE).values_list("pk", "schema_name", "kind")) == spares_before
    assert not Tenant.objects.filter(subdomain="broken-co").exists()


@pytest.mark.django_db
def test_handoff_signs_in_once_within_the_window(client):
    result = services.tenant_signup(
        company_name="Hand Co", subdomain="hand-co", admin_name="Hal Hand",
        admin_email="hal@hand.test", admin_password=GOOD["admin_password"],
    )
    first = client.get(f"/auth/handoff/?token={result.handoff_token}", HTTP_HOST="hand-co.localhost")
    assert first.status_code == 302
    assert client.get("/", HTTP_HOST="hand-co.localhost").status_code == 200
    client.logout()
    second = client.get(f"/auth/handoff/?token={result.handoff_token}", HTTP_HOST="hand-co.localhost")
    assert second.status_code == 403
    assert SignupHandoff.objects.get(tenant=result.tenant).used_at is not None


@pytest.mark.django_db
def test_handoff_token_of_one_tenant_is_refused_on_another(client, tenant_a):
    result = services.tenant_signup(
        company_name="Other Co", subdomain="other-co", admin_name="Oli Other",
        admin_email="oli@other.test", admin_password=GOOD["admin_password"],
    )
    response = client.get(f"/auth/handoff/?token={result.handoff_token}", HTTP_HOST="alpha.localhost")
    assert response.status_code == 403


@pytest.mark.django_db
def test_api_and_web_share_one_signup_allowance_per_ip(settings):
    from django.test import Client

    settings.SIGNUP_RATE_PER_HOUR = 2
    ip = "198.51.100.7"
    first = root_api().post("/api/v1/signup/", {**GOOD, "subdomain": "rate-one"}, format="json", REMOTE_ADDR=ip)
    assert first.status_code == 201
    typo = root_api().post("/api/v1/signup/", {**GOOD, "subdomain": "ab"}, format="json", REMOTE_ADDR=ip)
    assert typo.status_code == 400  # refused input gives its slot back
    web = Client(HTTP_HOST="localhost", REMOTE_ADDR=ip).post("/signup/", {
        "company_name": "Rate Two", "subdomain": "rate-two", "admin_name": "Ray", "admin_email": "ray@rate.test",
        "admin_password": GOOD["admin_password"]})
    assert web.status_code == 302
    third = root_api().post("/api/v1/signup/", {**GOOD, "subdomain": "rate-three"}, format="json", REMOTE_ADDR=ip)
    assert third.status_code == 429
    assert third.json()["error"]["code"] == "throttled"
    assert int(third["Retry-After"]) > 0
    assert not Tenant.objects.filter(subdomain="rate-three").exists()
