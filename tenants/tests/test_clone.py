"""The clone is an exact copy of the template: same tables, columns, defaults,
constraints and indexes under the same names, same rows, and identity
sequences that continue after the copied rows. Objects it cannot copy are
refused loudly."""

import pytest
from django.db import DatabaseError, connection, transaction

from tenants.provisioning import clone_template_into, new_schema_name, template_schema

CATALOG_SQL = """
SELECT 'column', c.relname, a.attname,
       format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || a.attidentity::text || ' '
       || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint', c.relname, con.conname,
       con.contype::text || ' ' || replace(pg_get_constraintdef(con.oid), %(schema)s || '.', '')
       || ' ' || con.condeferrable::text || con.condeferred::text
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
 WHERE con.connamespace = %(schema)s::regnamespace
UNION ALL
-- A partial index's predicate is re-parsed when recreated, and PostgreSQL may
-- print an equivalent predicate differently (ARRAY[...]::text[] vs ARRAY[...::text]):
-- compare the definition up to WHERE, and that a predicate exists.
SELECT 'index', tablename, indexname,
       replace(split_part(indexdef, ' WHERE ', 1), %(schema)s || '.', '')
       || CASE WHEN indexdef LIKE '%% WHERE %%' THEN ' (partial)' ELSE '' END
  FROM pg_indexes WHERE schemaname = %(schema)s
"""


def catalog(schema: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(CATALOG_SQL, {"schema": schema})
        return set(cursor.fetchall())


def row_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'", [schema])
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
def test_clone_is_an_exact_copy_of_the_template():
    schema = new_schema_name()
    clone_template_into(schema)
    template = catalog(template_schema())
    assert len(template) > 100
    assert catalog(schema) == template
    assert row_counts(schema) == row_counts(template_schema())


@pytest.mark.django_db
def test_identity_sequences_continue_after_copied_rows():
    schema = new_schema_name()
    clone_template_into(schema)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT max(id) FROM "{schema}".django_migrations')
        highest = cursor.fetchone()[0]
        cursor.execute(f"INSERT INTO \"{schema}\".django_migrations (app, name, applied) "
                       "VALUES ('probe', 'probe', now()) RETURNING id")
        assert cursor.fetchone()[0] == highest + 1


@pytest.mark.django_db
def test_clone_refuses_objects_it_cannot_copy():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_clone_probe_src")
        cursor.execute("CREATE TABLE t_clone_probe_src.things (id integer)")
        cursor.execute("CREATE VIEW t_clone_probe_src.thing_view AS SELECT id FROM t_clone_probe_src.things")
        with pytest.raises(DatabaseError, match="cannot copy: thing_view"), transaction.atomic():
            cursor.execute("SELECT weft_clone_schema('t_clone_probe_src', 't_clone_probe_dst')")
