"""Rows planted in one tenant so isolation tests can look for them elsewhere.
Every name carries MARKER; every id is collected."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django_tenants.utils import schema_context

MARKER = "alpha-secret"


def plant(tenant, admin) -> dict:
    """Create one row of each tenant record type in ``tenant``; returns
    ``{"ids": [...], "markers": [...]}``."""
    from core.audit.services import audit_record
    from core.catalog.models import Category, Product
    from core.org.models import Department, Role
    from core.users.models import User
    from core.users.services import token_create
    from modules.crm.models import Customer

    tag = f"{MARKER}-{uuid.uuid4().hex[:8]}"
    with schema_context(tenant.schema_name):
        department = Department.objects.create(name=f"{tag} department")
        role = Role.objects.create(name=f"{tag} role", permissions=["crm.customer.view"])
        user = User.objects.create_user(f"{tag}@alpha.test", "Alpha-pass-2026", full_name=f"{tag} person",
                                        department=department)
        user.roles.add(role)
        token, _clear = token_create(user=admin, name=f"{tag} token")
        category = Category.objects.create(name=f"{tag} category")
        product = Product.objects.create(sku=f"{tag}-sku", name=f"{tag} product", category=category,
                                         list_price=Decimal("10.00"))
        customer = Customer.objects.create(name=f"{tag} customer", owner=user, department=department)
        entry = audit_record(actor=admin, action="create", obj=customer, message=f"{tag} audit")
        ids = [str(o.pk) for o in (department, role, user, token, category, product, customer, entry)]
    return {"ids": ids, "markers": [tag]}


def tenant_models():
    """Models whose tables live in tenant schemas (our own apps only)."""
    labels = {app.split(".")[-1] for app in settings.TENANT_APPS if not app.startswith("django.")}
    return [m for m in apps.get_models() if m._meta.app_label in labels]
