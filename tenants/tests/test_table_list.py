"""The backend's table list (core/db_backend) names exactly the tables and
views Django's own introspection finds in the current schema, for the public
schema and a workspace; a missing schema has none."""

import pytest
from django.db import connection
from django.db.backends.postgresql.introspection import DatabaseIntrospection
from django_tenants.utils import schema_context

from core.db_backend.base import SchemaIntrospection


def djangos_own_table_list():
    """Django's stock query, with the search path set to the current schema
    alone as django-tenants does for introspection."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        original = cursor.fetchone()[0]
        cursor.execute(f'SET search_path = "{connection.schema_name}"')
        try:
            return sorted(DatabaseIntrospection(connection).get_table_list(cursor))
        finally:
            cursor.execute(f"SET search_path = {original}")


@pytest.mark.django_db
def test_table_list_matches_djangos_in_public_and_a_workspace(tenant_a):
    assert isinstance(connection.introspection, SchemaIntrospection)
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW public.weft_probe_view AS SELECT 1 AS one")
    public_tables = sorted(connection.introspection.get_table_list(connection.cursor()))
    assert public_tables == djangos_own_table_list()
    assert {"tenants_tenant", "django_migrations"} <= {table.name for table in public_tables}
    assert ("weft_probe_view", "v") in {(table.name, table.type) for table in public_tables}
    with schema_context(tenant_a.schema_name):
        workspace_tables = sorted(connection.introspection.get_table_list(connection.cursor()))
        assert workspace_tables == djangos_own_table_list()
        names = {table.name for table in workspace_tables}
        assert {"crm_customer", "users_user", "django_migrations"} <= names
        assert "tenants_tenant" not in names


@pytest.mark.django_db
def test_a_missing_schema_has_no_tables():
    with schema_context("t_no_such_schema"):
        assert connection.introspection.table_names() == []
