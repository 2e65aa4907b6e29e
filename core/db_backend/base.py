"""django-tenants' backend with one change: ``get_table_list`` (the schema's
tables, which every ``migrate`` asks for once per schema) reads them from
``pg_depend`` by namespace, through its index, instead of Django's scan of all
of ``pg_class`` with ``pg_table_is_visible()`` on every row.

The catalog grows by ~409 relations per workspace; with 1,000 workspaces
(411,199 rows in ``pg_class``) Django's query took ~316 ms per call and this
one ~8 ms, measured on the same database (docs/performance.md)."""

from django.db.backends.postgresql.introspection import TableInfo
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection

TABLES_OF_SCHEMA = """
    SELECT c.relname,
           CASE WHEN c.relispartition THEN 'p' WHEN c.relkind IN ('m', 'v') THEN 'v' ELSE 't' END,
           obj_description(c.oid, 'pg_class')
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_class c ON c.oid = d.objid
     WHERE d.refclassid = 'pg_catalog.pg_namespace'::regclass
       AND d.refobjid = to_regnamespace(%s)
       AND d.refobjsubid = 0
       AND d.classid = 'pg_catalog.pg_class'::regclass
       AND d.deptype = 'n'
       AND c.relkind IN ('f', 'm', 'p', 'r', 'v')
"""


class SchemaIntrospection(DatabaseSchemaIntrospection):
    def get_table_list(self, cursor):
        """The tables and views of the connection's current schema."""
        cursor.execute(TABLES_OF_SCHEMA, [self.connection.schema_name])
        return [TableInfo(*row) for row in cursor.fetchall() if row[0] not in self.ignored_tables]


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.introspection = SchemaIntrospection(self)
