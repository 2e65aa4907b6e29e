"""Tenant schemas: the template, the spare pool, and the two ways a signup gets
a schema (claim a spare, or clone the template).

Every schema name is opaque (``t_<32 hex>``) and never derived from user input.
Schema DDL in PostgreSQL is transactional, so a clone done inside the caller's
transaction disappears if that transaction rolls back.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from .models import Tenant, TenantKind

logger = logging.getLogger(__name__)
POOL_LOCK_ID = 0x57EF7001  # advisory lock: one pool refiller at a time


def new_schema_name() -> str:
    return f"t_{uuid.uuid4().hex}"


def template_schema() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


CLONE_FUNCTION_SQL = Path(__file__).with_name("sql") / "clone_schema.sql"


def install_clone_function() -> None:
    """(Re)install weft_clone_schema() in the public schema (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute(CLONE_FUNCTION_SQL.read_text())


def ensure_template() -> Tenant:
    """Create the template tenant (schema migrated the slow way, once)."""
    connection.set_schema_to_public()
    template, _created = Tenant.objects.get_or_create(
        schema_name=template_schema(), defaults={"kind": TenantKind.TEMPLATE, "name": "Template"}
    )
    if not schema_exists(template.schema_name):
        template.create_schema(check_if_exists=True, verbosity=0)
    install_clone_function()
    return template


def clone_template_into(schema_name: str) -> None:
    """Copy the template's tables, constraints, indexes and rows (including its
    django_migrations) into a new schema, within the current transaction
    (see tenants/sql/clone_schema.sql and docs/decisions/0002)."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT weft_clone_schema(%s, %s)", [template_schema(), schema_name])


def create_schema_by_migrations(schema_name: str) -> None:
    """The slow baseline: an empty schema migrated from scratch (benchmarks only)."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def claim_spare() -> Tenant | None:
    """Take one spare tenant for a signup (row locked until the caller's
    transaction ends; concurrent signups skip each other's spares)."""
    return (
        Tenant.objects.select_for_update(skip_locked=True)
        .filter(kind=TenantKind.SPARE)
        .order_by("created_at")
        .first()
    )


def create_spare() -> Tenant:
    with transaction.atomic():
        spare = Tenant.objects.create(schema_name=new_schema_name(), kind=TenantKind.SPARE)
        clone_template_into(spare.schema_name)
    return spare


def spare_count() -> int:
    return Tenant.objects.filter(kind=TenantKind.SPARE).count()


def refill_pool(size: int | None = None) -> int:
    """Top the spare pool up to ``size``; returns how many spares were made.
    Only one refiller runs at a time (others return 0 at once)."""
    size = settings.TENANT_SPARE_POOL_SIZE if size is None else size
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [POOL_LOCK_ID])
        if not cursor.fetchone()[0]:
            return 0
    try:
        if template_lag(template_schema()):
            logger.error("Spare pool not refilled: the tenant template lags behind the migrations.")
            return 0
        made = 0
        while spare_count() < size:
            create_spare()
            made += 1
        return made
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [POOL_LOCK_ID])


def template_lag(schema_name: str) -> list[str]:
    """Migrations on disk that ``schema_name`` has not applied ("app.name")."""
    if not schema_exists(schema_name):
        return ["<schema missing>"]
    with schema_context(schema_name):
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]
