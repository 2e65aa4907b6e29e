"""Emails sent on behalf of a tenant: links point at the tenant's own host,
text is rendered in the tenant's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation


def send_tenant_mail(*, to: str, subject: str, template: str, context: dict) -> None:
    tenant = getattr(connection, "tenant", None)
    from tenants.services import tenant_url

    base = tenant_url(tenant.subdomain) if getattr(tenant, "subdomain", None) else ""
    with translation.override(getattr(tenant, "language", None) or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "base_url": base, "tenant": tenant})
        send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, [to])
