"""API authentication on a tenant host: tokens (hashed, named, expiring,
revocable), 401 for missing or bad credentials, throttled failed logins,
password hashing settings."""

from datetime import timedelta
from hashlib import sha256

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from conftest import PASSWORD
from core.users.models import ApiToken


def obtain(api, email, password, **extra):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password, **extra}, format="json")


def test_token_is_issued_named_hashed_and_expiring(tenant_a, admin_a, api_for):
    response = obtain(api_for(tenant_a), admin_a.email, PASSWORD, name="CI robot")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "CI robot"
    expires = timezone.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=89) < expires - timezone.now() <= timedelta(days=90)
    with schema_context(tenant_a.schema_name):
        stored = ApiToken.objects.get(pk=body["id"])
    secret = body["token"].split("_", 2)[2]
    assert stored.digest == sha256(secret.encode()).hexdigest()
    assert secret not in (stored.digest, stored.prefix)


def test_bearer_token_authenticates_and_records_last_use(tenant_a, admin_a, api_for):
    token = obtain(api_for(tenant_a), admin_a.email, PASSWORD).json()
    api = api_for(tenant_a)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token['token']}")
    assert api.get("/api/v1/me/").json()["email"] == admin_a.email
    with schema_context(tenant_a.schema_name):
        assert ApiToken.objects.get(pk=token["id"]).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer wft_nope_nope", "Bearer garbage", "Token abc", "Basic YWRtaW46YWRtaW4="],
    ids=["missing", "empty", "unknown", "malformed", "other-scheme", "basic"],
)
def test_missing_or_invalid_credentials_get_401(tenant_a, api_for, header):
    api = api_for(tenant_a)
    if header:
        api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.json()["error"]["fields"] == {}


def test_wrong_password_gets_401(tenant_a, admin_a, api_for):
    response = obtain(api_for(tenant_a), admin_a.email, "wrong-password")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_expired_and_revoked_tokens_get_401(tenant_a, admin_a, api_for):
    api = api_for(tenant_a, admin_a)
    assert api.get("/api/v1/me/").status_code == 200
    with schema_context(tenant_a.schema_name):
        ApiToken.objects.filter(user=admin_a).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/me/").status_code == 401
    api = api_for(tenant_a, admin_a)
    tokens = api.get("/api/v1/auth/tokens/").json()["results"]
    current = next(t for t in tokens if t["revoked_at"] is None and t["name"] == "tests")
    assert api.delete(f"/api/v1/auth/tokens/{current['id']}/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_token_list_shows_only_own_tokens_without_secrets(tenant_a, admin_a, make_user, api_for):
    other = make_user(tenant_a)
    api_for(tenant_a, other)
    api = api_for(tenant_a, admin_a)
    results = api.get("/api/v1/auth/tokens/").json()["results"]
    assert results and all(set(t) == {"id", "name", "prefix", "created_at", "expires_at", "last_used_at",
                                      "revoked_at"} for t in results)
    with schema_context(tenant_a.schema_name):
        mine = set(ApiToken.objects.filter(user=admin_a).values_list("id", flat=True))
    assert {t["id"] for t in results} == {str(i) for i in mine}


def test_failed_logins_are_throttled(tenant_a, admin_a, api_for, settings):
    api = api_for(tenant_a)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert obtain(api, admin_a.email, "wrong", REMOTE_ADDR="10.1.1.1").status_code == 401
    response = obtain(api, admin_a.email, PASSWORD, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_throttling_is_per_tenant(tenant_a, tenant_b, admin_b, api_for, settings):
    api_a = api_for(tenant_a)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        obtain(api_a, admin_b.email, "wrong", REMOTE_ADDR="10.1.1.2")
    assert obtain(api_for(tenant_b), admin_b.email, PASSWORD, REMOTE_ADDR="10.1.1.3").status_code == 200


def test_web_login_throttles_too(tenant_a, admin_a, settings):
    from django.test import Client

    client = Client(HTTP_HOST="alpha.localhost")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"email": admin_a.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"email": admin_a.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Too many failed sign-in attempts" in response.content


def test_user_of_one_tenant_does_not_exist_in_another(tenant_b, admin_a, api_for):
    assert obtain(api_for(tenant_b), admin_a.email, PASSWORD).status_code == 401


def test_production_settings_hash_passwords_with_argon2():
    import core.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
