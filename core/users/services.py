"""Sign-in, API tokens, invitations and user lifecycle."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import assert_seat_available
from billing.services import seats_sync_later
from core.errors import DomainError, ErrorCode

from .models import ApiToken, Invitation, User

TOKEN_PREFIX = "wft_"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _failure_keys(email: str, ip: str | None) -> list[str]:
    keys = [f"login-fail:email:{email.lower()}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def login_check(*, email: str, password: str, ip: str | None) -> User:
    """Authenticate by email + password with throttling of failures.

    The cache is keyed per tenant schema (django-tenants' key function), so
    failures in one workspace never lock out a user of another.
    """
    keys = _failure_keys(email, ip)
    if any((cache.get(k) or 0) >= settings.LOGIN_FAILURE_LIMIT for k in keys):
        raise DomainError(
            _("Too many failed sign-in attempts. Try again in a few minutes."), code=ErrorCode.THROTTLED
        )
    user = authenticate(username=(email or "").strip().lower(), password=password or "")
    if user is None:
        for key in keys:
            cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_SECONDS)
            cache.incr(key)
        raise DomainError(_("Email or password is incorrect."), code=ErrorCode.NOT_AUTHENTICATED)
    cache.delete_many(keys[:1])
    return user


def token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the clear secret (shown once, never stored)."""
    if not name.strip():
        raise DomainError(_("Give the token a name."), fields={"name": [_("This field is required.")]})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=days or settings.API_TOKEN_DEFAULT_DAYS),
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def token_authenticate(raw: str) -> tuple[User, ApiToken] | None:
    """The user and token for a presented bearer token, or None."""
    if not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX):].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def purge_expired_tokens() -> int:
    cutoff = timezone.now() - timedelta(days=30)
    deleted, _rows = ApiToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def _end_sessions(user: User) -> int:
    """Delete every live session of ``user`` in this schema."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Deactivate a user: ends their sessions, revokes their tokens and any
    pending invitation (so they no longer hold a seat)."""
    if user.pk == by.pk:
        raise DomainError(_("You cannot deactivate yourself."), code=ErrorCode.CONFLICT)
    _check_may_assign(by, target=user)
    user.invitations.filter(used_at__isnull=True).update(expires_at=timezone.now())
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    _end_sessions(user)
    seats_sync_later()
    return user


def invitation_issue(*, user: User, purpose: str = Invitation.Purpose.INVITE, days: int = 7) -> str:
    """Store a one-time link token for ``user``; returns the clear token."""
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user, purpose=purpose, digest=_digest(token), expires_at=timezone.now() + timedelta(days=days)
    )
    return token


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the password through an invitation or reset link (single use)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    invitation = (
        Invitation.objects.select_for_update().select_related("user")
        .filter(digest=_digest(token or ""), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise DomainError(_("This link is invalid or has expired."), code=ErrorCode.NOT_FOUND)
    user = invitation.user
    if not user.is_active:
        assert_seat_available(exclude=user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(_("Choose a stronger password."), fields={"password": exc.messages}) from exc
    user.set_password(password)
    was_active, user.is_active = user.is_active, True
    user.save(update_fields=["password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if not was_active:
        seats_sync_later()
    return user


def _check_manager(user: User | None, manager: User | None) -> None:
    """A manager chain may not loop back to the user."""
    seen = set()
    current = manager
    while current is not None:
        if user is not None and current.pk == user.pk:
            raise DomainError(
                _("A user cannot report to themselves or to someone who reports to them."),
                fields={"manager": [_("This would create a reporting loop.")]},
            )
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.manager


def _check_may_assign(by: User, *, roles=(), is_tenant_admin=None, target: User | None = None) -> None:
    """Only admins make or manage admins; others may only hand out roles whose
    permissions and scope they hold themselves."""
    from core.access import assert_admin, assert_can_grant

    if is_tenant_admin or (target is not None and target.is_tenant_admin) or (
        target is not None and is_tenant_admin is not None and is_tenant_admin != target.is_tenant_admin
    ):
        assert_admin(by, _("Only workspace administrators can manage administrators."))
    for role in roles:
        assert_can_grant(by, permissions=role.permissions, scope=role.data_scope)


@transaction.atomic
def user_invite(*, by: User, email: str, full_name: str, department=None, manager=None, roles=(),
                is_tenant_admin: bool = False) -> User:
    """Create an inactive user and email them a link to set their password."""
    from core.audit.services import audit_record
    from core.mail import send_tenant_mail

    _check_may_assign(by, roles=roles, is_tenant_admin=is_tenant_admin)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise DomainError(_("Someone with this email is already a member."),
                          fields={"email": [_("Already a member.")]})
    _check_manager(None, manager)
    assert_seat_available()
    user = User.objects.create_user(
        email, None, full_name=full_name.strip(), department=department, manager=manager,
        is_tenant_admin=is_tenant_admin, is_active=False,
    )
    if roles:
        user.roles.set(roles)
    token = invitation_issue(user=user)
    seats_sync_later()
    audit_record(actor=by, action="create", obj=user, message="invited")
    send_tenant_mail(
        to=user.email, subject=_("You are invited to Weft"), template="users/email/invite.txt",
        context={"user": user, "inviter": by, "path": f"/accounts/invitation/{token}/"},
    )
    return user


@transaction.atomic
def user_update(*, user: User, by: User, **data) -> User:
    from core.audit.services import audit_record, changes_between

    held = set(user.roles.values_list("pk", flat=True))
    added = [role for role in data.get("roles") or () if role.pk not in held]
    _check_may_assign(by, roles=added, is_tenant_admin=data.get("is_tenant_admin"), target=user)
    if "manager" in data:
        _check_manager(user, data["manager"])
    if user.pk == by.pk and data.get("is_tenant_admin") is False:
        raise DomainError(_("You cannot remove your own administrator rights."), code=ErrorCode.CONFLICT)
    reactivating = data.get("is_active") is True and not user.is_active
    if reactivating:
        assert_seat_available(exclude=user)
    if "is_active" in data and data["is_active"] != user.is_active:
        seats_sync_later()
    roles = data.pop("roles", None)
    changes = changes_between(user, data)
    for name, value in data.items():
        setattr(user, name, value)
    user.save()
    if roles is not None:
        before = sorted(str(r.pk) for r in user.roles.all())
        user.roles.set(roles)
        after = sorted(str(r.pk) for r in roles)
        if before != after:
            changes["roles"] = [before, after]
    audit_record(actor=by, action="update", obj=user, changes=changes)
    return user


def password_reset_request(*, email: str) -> None:
    """Email a reset link if the address belongs to an active member (the
    caller shows the same message either way)."""
    from core.mail import send_tenant_mail

    user = User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if user is None:
        return
    token = invitation_issue(user=user, purpose=Invitation.Purpose.RESET, days=1)
    send_tenant_mail(
        to=user.email, subject=_("Reset your Weft password"), template="users/email/reset.txt",
        context={"user": user, "path": f"/accounts/invitation/{token}/"},
    )
