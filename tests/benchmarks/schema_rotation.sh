#!/bin/bash
# Does one PostgreSQL connection slow down when it serves many schemas in turn?
# (prints figures, asserts nothing; PostgreSQL only, no Django)
#
#   bash tests/benchmarks/schema_rotation.sh [SCHEMAS]    (default 1000)
#
# In a scratch database (weft_schema_rotation, dropped at the end) it makes
# SCHEMAS schemas shaped like the tenant list's tables (users, token, customer
# with their keys and indexes, 25 customers), then runs the list's three
# queries with pgbench for 15 s on one connection: against 1 schema, then each
# transaction against a random one of SCHEMAS, twice each, alternating. Last,
# one new connection visits every schema once (its catalog cache cold for
# each) and then once more (warm): what a schema's first visit on a
# connection costs.
set -euo pipefail
SCHEMAS=${1:-1000}
DB=weft_schema_rotation
PSQL=(psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -q -v ON_ERROR_STOP=1)
SCRIPT=$(mktemp)
VISITS=$(mktemp)
trap '"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -f "$SCRIPT" "$VISITS"' EXIT
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
for first in $(seq 1 50 "$SCHEMAS"); do
  last=$((first + 49 < SCHEMAS ? first + 49 : SCHEMAS))
  "${PSQL[@]}" -d "$DB" <<SQL
DO \$\$
BEGIN
  FOR i IN $first..$last LOOP
    EXECUTE format('CREATE SCHEMA s_%s', i);
    EXECUTE format('CREATE TABLE s_%s.users (id uuid PRIMARY KEY, email text UNIQUE, full_name text, is_active bool,
      department_id uuid, manager_id uuid, language text, date_joined timestamptz, password text,
      last_login timestamptz, is_staff bool, is_superuser bool)', i);
    EXECUTE format('CREATE INDEX ON s_%s.users (department_id)', i);
    EXECUTE format('CREATE INDEX ON s_%s.users (manager_id)', i);
    EXECUTE format('CREATE TABLE s_%s.token (id uuid PRIMARY KEY, user_id uuid REFERENCES s_%s.users (id), name text,
      prefix varchar(12) UNIQUE, digest text, created_at timestamptz, expires_at timestamptz,
      last_used_at timestamptz, revoked_at timestamptz)', i, i);
    EXECUTE format('CREATE INDEX ON s_%s.token (user_id)', i);
    EXECUTE format('CREATE TABLE s_%s.customer (id uuid PRIMARY KEY, created_at timestamptz, updated_at timestamptz,
      name text, kind text, grade text, region text, industry text, phone text, tax_id text, source text,
      credit_rating text, credit_limit numeric(14, 2), owner_id uuid REFERENCES s_%s.users (id), department_id uuid)',
      i, i);
    EXECUTE format('CREATE INDEX ON s_%s.customer (owner_id)', i);
    EXECUTE format('CREATE INDEX ON s_%s.customer (department_id)', i);
    EXECUTE format('CREATE INDEX ON s_%s.customer (name)', i);
    EXECUTE format('CREATE INDEX ON s_%s.customer (created_at)', i);
    EXECUTE format('INSERT INTO s_%s.users (id, email, full_name, is_active)
      VALUES (''00000000-0000-0000-0000-000000000001'', ''a@example.test'', ''A'', true)', i);
    EXECUTE format('INSERT INTO s_%s.token (id, user_id, prefix, digest)
      VALUES (gen_random_uuid(), ''00000000-0000-0000-0000-000000000001'', ''p1'', ''d'')', i);
    EXECUTE format('INSERT INTO s_%s.customer (id, name, owner_id, created_at)
      SELECT gen_random_uuid(), ''c'' || g, ''00000000-0000-0000-0000-000000000001'', now()
        FROM generate_series(1, 25) g', i);
  END LOOP;
END \$\$;
SQL
done
cat > "$SCRIPT" <<'PGBENCH'
\set s random(1, :schemas)
SET search_path = s_:s, public;
SELECT t.*, u.* FROM token t JOIN users u ON u.id = t.user_id WHERE t.prefix = 'p1' ORDER BY t.id LIMIT 1;
SELECT count(*) FROM customer;
SELECT c.*, u.* FROM customer c JOIN users u ON u.id = c.owner_id ORDER BY c.name, c.id LIMIT 25;
PGBENCH
echo "one connection, 15 s each; $SCHEMAS schemas present; load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
declare -A latency
for round in 1 2; do
  for rotated in 1 "$SCHEMAS"; do
    line=$(pgbench -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -n -M simple -c 1 -T 15 \
             -D schemas="$rotated" -f "$SCRIPT" "$DB" 2>/dev/null | grep "latency average")
    latency[$round,$rotated]=$(echo "$line" | awk '{print $4}')
    printf "  round %s, each transaction to one of %5s schemas: %s ms per transaction\n" \
      "$round" "$rotated" "${latency[$round,$rotated]}"
  done
  awk -v a="${latency[$round,$SCHEMAS]}" -v b="${latency[$round,1]}" -v n="$SCHEMAS" \
    'BEGIN { printf "  round '"$round"' ratio %s schemas / 1 schema: %.2fx\n", n, a / b }'
done
for i in $(seq 1 "$SCHEMAS"); do
  sed -e '1d' -e "s/s_:s/s_$i/" "$SCRIPT"
done > "$VISITS"
"${PSQL[@]}" -d "$DB" -At <<SQL
\\o /dev/null
SELECT set_config('weft.t0', clock_timestamp()::text, false);
\\i $VISITS
SELECT set_config('weft.t1', clock_timestamp()::text, false);
\\i $VISITS
SELECT set_config('weft.t2', clock_timestamp()::text, false);
\\o
SELECT format('  one connection, each of %s schemas once: first visit %s ms, second visit %s ms per schema (%sx)',
              $SCHEMAS, round(first::numeric, 3), round(second::numeric, 3), round((first / second)::numeric, 2))
  FROM (SELECT extract(epoch FROM current_setting('weft.t1')::timestamptz - current_setting('weft.t0')::timestamptz)
               * 1000 / $SCHEMAS AS first,
               extract(epoch FROM current_setting('weft.t2')::timestamptz - current_setting('weft.t1')::timestamptz)
               * 1000 / $SCHEMAS AS second) visits;
SQL
