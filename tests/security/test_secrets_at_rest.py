"""Secrets at rest: signup hand-off links, invitation and reset links and API
tokens are stored only as SHA-256 digests, and a stolen digest does not work
in their place; passwords are hashed with Argon2 (older PBKDF2 hashes are
upgraded at the next sign-in). tests/test_auth.py checks the API token digest
itself and the hasher order."""

from __future__ import annotations

import re
from hashlib import sha256

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django_tenants.utils import schema_context

import core.settings as production
from conftest import PASSWORD
from core.errors import DomainError
from tenants.models import SignupHandoff

pytestmark = pytest.mark.django_db


def columns(row) -> list[str]:
    return [str(getattr(row, field.attname)) for field in row._meta.concrete_fields]


def test_signup_handoff_token_is_kept_as_a_digest_that_cannot_be_replayed(tenant_a):
    from tenants.services import handoff_consume, tenant_signup

    result = tenant_signup(company_name="Digest Co", subdomain="digest-co", admin_name="Di Gest",
                           admin_email="di@digest.test", admin_password=PASSWORD)

    row = SignupHandoff.objects.get(tenant=result.tenant)
    assert row.token_hash == sha256(result.handoff_token.encode()).hexdigest()
    assert not [value for value in columns(row) if result.handoff_token in value]
    with pytest.raises(DomainError) as refused:
        handoff_consume(tenant=result.tenant, token=row.token_hash)
    assert refused.value.code == "permission_denied"
    assert SignupHandoff.objects.get(pk=row.pk).used_at is None
    assert handoff_consume(tenant=result.tenant, token=result.handoff_token) == result.admin_id


def emailed_token() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"/accounts/invitation/([A-Za-z0-9_\-]+)/", mail.outbox[0].body).group(1)


def test_invitation_link_is_kept_as_a_digest_that_cannot_be_replayed(tenant_a, admin_a):
    from core.users.models import Invitation, User
    from core.users.services import invitation_accept, user_invite

    with schema_context(tenant_a.schema_name):
        invited = user_invite(by=admin_a, email="ivy@alpha.test", full_name="Ivy Invited")
        token = emailed_token()
        row = Invitation.objects.get(user=invited)
        assert row.digest == sha256(token.encode()).hexdigest()
        assert not [value for value in columns(row) if token in value]
        with pytest.raises(DomainError):
            invitation_accept(token=row.digest, password="Ivy-new-pass-2026")
        assert User.objects.get(pk=invited.pk).is_active is False
        assert invitation_accept(token=token, password="Ivy-new-pass-2026").pk == invited.pk


def test_password_reset_link_is_kept_as_a_digest(tenant_a, make_user):
    from core.users.models import Invitation
    from core.users.services import password_reset_request

    member = make_user(tenant_a, email="reset-me@alpha.test")
    with schema_context(tenant_a.schema_name):
        password_reset_request(email="reset-me@alpha.test")
        token = emailed_token()
        row = Invitation.objects.get(user=member, purpose=Invitation.Purpose.RESET)
        assert row.digest == sha256(token.encode()).hexdigest()
        assert not [value for value in columns(row) if token in value]


def test_a_stolen_api_token_digest_is_not_a_token(tenant_a, admin_a, api_for):
    from core.users.models import ApiToken

    api = api_for(tenant_a, admin_a)
    assert api.get("/api/v1/me/").status_code == 200
    with schema_context(tenant_a.schema_name):
        stored = ApiToken.objects.get(user=admin_a, name="tests")
    thief = api_for(tenant_a)
    thief.credentials(HTTP_AUTHORIZATION=f"Bearer wft_{stored.prefix}_{stored.digest}")
    response = thief.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_production_hashing_is_argon2id_and_never_keeps_the_password(settings, tenant_a, make_user):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    member = make_user(tenant_a, email="argon@alpha.test", password="Argon-pass-2026")
    assert member.password.startswith("argon2$argon2id$")
    assert "Argon-pass-2026" not in member.password
    assert member.check_password("Argon-pass-2026") and not member.check_password("argon-pass-2026")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(settings, tenant_a, make_user, api_for):
    from core.users.models import User

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    member = make_user(tenant_a, email="old-hash@alpha.test")
    with schema_context(tenant_a.schema_name):
        User.objects.filter(pk=member.pk).update(
            password=make_password("Old-hash-pass-2026", hasher="pbkdf2_sha256"))
    response = api_for(tenant_a).post("/api/v1/auth/token/", {"email": "old-hash@alpha.test",
                                                              "password": "Old-hash-pass-2026"}, format="json")
    assert response.status_code == 200
    with schema_context(tenant_a.schema_name):
        assert User.objects.get(pk=member.pk).password.startswith("argon2$argon2id$")
