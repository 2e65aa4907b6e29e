"""Signup and tenant lifecycle: one function per use case, shared by the web
form and the API."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.models import Plan
from core.errors import DomainError, ErrorCode
from core.modules import registry

from . import provisioning
from .cache import forget_tenant_everywhere
from .ratelimit import signup_rate_check, signup_rate_refund
from .models import Domain, SignupHandoff, Tenant, TenantKind, TenantModule, TenantState

logger = logging.getLogger(__name__)
SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset(
    """www api admin ops static media mail smtp imap pop app apps assets cdn docs help support status
    billing signup login auth account accounts dashboard root public template test demo-template
    webhook webhooks ftp ns ns1 ns2 blog dev staging internal system weft""".split()
)


@dataclass(frozen=True)
class SignupResult:
    tenant: Tenant
    admin_id: object
    handoff_token: str
    provisioned_from: str  # "pool" or "clone"

    @property
    def url(self) -> str:
        return tenant_url(self.tenant.subdomain)

    @property
    def handoff_url(self) -> str:
        return f"{self.url}/auth/handoff/?token={self.handoff_token}"


def tenant_url(subdomain: str) -> str:
    port = settings.PUBLIC_PORT
    default_port = {"http": 80, "https": 443}.get(settings.PUBLIC_SCHEME)
    suffix = "" if port == default_port else f":{port}"
    return f"{settings.PUBLIC_SCHEME}://{subdomain}.{settings.ROOT_DOMAIN}{suffix}"


def subdomain_errors(subdomain: str) -> list[str]:
    """Why ``subdomain`` cannot be used (empty list when it can)."""
    if not 3 <= len(subdomain) <= 40:
        return [_("Use 3 to 40 characters.")]
    if not SUBDOMAIN_RE.match(subdomain) or "--" in subdomain:
        return [_("Use lowercase letters, digits and single hyphens; start and end with a letter or digit.")]
    if subdomain in RESERVED_SUBDOMAINS:
        return [_("This subdomain is reserved.")]
    if Tenant.objects.filter(subdomain=subdomain).exists():
        return [_("This subdomain is already taken.")]
    return []


def _signup_errors(*, company_name, subdomain, admin_name, admin_email, admin_password, plan_code) -> dict:
    errors: dict[str, list[str]] = {}
    if not company_name.strip():
        errors["company_name"] = [_("Enter your company name.")]
    if sub_errors := subdomain_errors(subdomain):
        errors["subdomain"] = sub_errors
    if not admin_name.strip():
        errors["admin_name"] = [_("Enter your name.")]
    try:
        validate_email(admin_email)
    except ValidationError as exc:
        errors["admin_email"] = list(exc.messages)
    try:
        User = get_user_model()
        validate_password(admin_password, User(email=admin_email, full_name=admin_name))
    except ValidationError as exc:
        errors["admin_password"] = list(exc.messages)
    if plan_code and not Plan.objects.filter(code=plan_code, is_public=True).exists():
        errors["plan"] = [_("Unknown plan.")]
    return errors


def _create_admin(tenant: Tenant, *, admin_name: str, admin_email: str, admin_password: str):
    with schema_context(tenant.schema_name):
        return get_user_model().objects.create_user(
            admin_email, admin_password, full_name=admin_name.strip(), is_tenant_admin=True
        )


def _enable_plan_modules(tenant: Tenant, plan: Plan) -> None:
    included = set(plan.modules)
    TenantModule.objects.bulk_create(
        [TenantModule(tenant=tenant, key=key, enabled=key in included) for key in registry.keys()]
    )


def tenant_signup(
    *, company_name: str, subdomain: str, admin_name: str, admin_email: str, admin_password: str,
    plan_code: str | None = None, language: str = "en", client_ip: str | None = None,
) -> SignupResult:
    """Create a working tenant with its admin, from the spare pool when it can.

    Either everything is created or nothing is: the tenant row, its domain, its
    module rows, its admin user and a cloned schema all live in one transaction.
    With ``client_ip`` the signup takes a slot of that client's hourly
    allowance (tenants/ratelimit.py), given back if nothing was created.
    """
    fields = dict(company_name=company_name, subdomain=subdomain, admin_name=admin_name, admin_email=admin_email,
                  admin_password=admin_password, plan_code=plan_code, language=language)
    if client_ip is None:
        return _provision_signup(**fields)
    signup_rate_check(client_ip)
    try:
        return _provision_signup(**fields)
    except Exception:
        signup_rate_refund(client_ip)
        raise


def _provision_signup(*, company_name, subdomain, admin_name, admin_email, admin_password, plan_code, language):
    subdomain = subdomain.strip().lower()
    admin_email = admin_email.strip().lower()
    errors = _signup_errors(
        company_name=company_name, subdomain=subdomain, admin_name=admin_name,
        admin_email=admin_email, admin_password=admin_password, plan_code=plan_code,
    )
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    plan = Plan.objects.get(code=plan_code) if plan_code else Plan.default_trial()
    connection.set_schema_to_public()
    try:
        with transaction.atomic():
            tenant = provisioning.claim_spare()
            provisioned_from = "pool"
            if tenant is None:
                tenant = Tenant(schema_name=provisioning.new_schema_name())
                provisioned_from = "clone"
            tenant.kind = TenantKind.CUSTOMER
            tenant.name = company_name.strip()
            tenant.subdomain = subdomain
            tenant.state = TenantState.TRIALING
            tenant.plan_code = plan.code
            tenant.trial_ends_at = timezone.now() + timedelta(days=plan.trial_days)
            tenant.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            tenant.claimed_at = timezone.now()
            tenant.save()
            if provisioned_from == "clone":
                provisioning.clone_template_into(tenant.schema_name)
            Domain.objects.create(domain=f"{subdomain}.{settings.ROOT_DOMAIN}", tenant=tenant, is_primary=True)
            _enable_plan_modules(tenant, plan)
            admin = _create_admin(tenant, admin_name=admin_name, admin_email=admin_email, admin_password=admin_password)
            token = _issue_handoff(tenant, admin.pk)
            transaction.on_commit(_refill_pool_later)
    except IntegrityError as exc:
        if Tenant.objects.filter(subdomain=subdomain).exists() or "subdomain" in str(exc) or "domain" in str(exc):
            raise DomainError(
                _("Please correct the highlighted fields."),
                fields={"subdomain": [_("This subdomain is already taken.")]},
            ) from exc
        raise
    finally:
        connection.set_schema_to_public()
    return SignupResult(tenant=tenant, admin_id=admin.pk, handoff_token=token, provisioned_from=provisioned_from)


def _refill_pool_later() -> None:
    """Queue a refill; if the broker is down the beat job refills later."""
    from .tasks import refill_spare_pool

    try:
        refill_spare_pool.delay()
    except Exception:  # noqa: BLE001 - the signup itself has already succeeded
        logger.warning("Could not queue a spare pool refill; the periodic job will do it.", exc_info=True)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_handoff(tenant: Tenant, user_id) -> str:
    token = secrets.token_urlsafe(32)
    SignupHandoff.objects.create(
        token_hash=_digest(token), tenant=tenant, user_id=user_id,
        expires_at=timezone.now() + timedelta(seconds=settings.SIGNUP_HANDOFF_SECONDS),
    )
    return token


def handoff_consume(*, tenant: Tenant, token: str):
    """Spend a handoff token on its own tenant's host; returns the user id.
    A token is good once, for 60 seconds, on one tenant."""
    with transaction.atomic():
        handoff = (
            SignupHandoff.objects.select_for_update()
            .filter(token_hash=_digest(token or ""), tenant_id=tenant.pk, used_at__isnull=True)
            .first()
        )
        if handoff is None or handoff.expires_at < timezone.now():
            raise DomainError(_("This sign-in link is invalid or has expired."), code=ErrorCode.PERMISSION_DENIED)
        handoff.used_at = timezone.now()
        handoff.save(update_fields=["used_at"])
        return handoff.user_id


def tenant_set_state(*, tenant: Tenant, state: str) -> Tenant:
    if state not in TenantState.values:
        raise DomainError(_("Unknown tenant state."), fields={"state": [_("Unknown tenant state.")]})
    Tenant.objects.filter(pk=tenant.pk).update(state=state)
    tenant.state = state
    forget_tenant_everywhere(tenant.pk)
    return tenant


def tenant_update_settings(*, tenant: Tenant, by, **changes) -> Tenant:
    """Change the company name, default language or time zone of a workspace."""
    import zoneinfo

    from core.audit.services import audit_record

    errors = {}
    if "name" in changes and not str(changes["name"]).strip():
        errors["name"] = [_("Enter your company name.")]
    if "language" in changes and changes["language"] not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose English or Simplified Chinese.")]
    if "timezone" in changes:
        try:
            zoneinfo.ZoneInfo(changes["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = [_("Unknown time zone.")]
    if errors:
        raise DomainError(_("Please correct the highlighted fields."), fields=errors)
    row = Tenant.objects.get(pk=tenant.pk)
    diff = {k: [getattr(row, k), v] for k, v in changes.items() if getattr(row, k) != v}
    if diff:
        Tenant.objects.filter(pk=tenant.pk).update(**changes)
        forget_tenant_everywhere(tenant.pk)
        with schema_context(tenant.schema_name):
            audit_record(actor=by, action="update", obj=row, changes=diff, message="workspace settings")
    for key, value in changes.items():
        setattr(tenant, key, value)
    return tenant
