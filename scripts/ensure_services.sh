#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer at the URLs Weft uses. When one does
# not, install it with apt-get if missing and start a private instance in
# ./var (trust auth, loopback only). Writes .env when it had to pick another port.
set -euo pipefail
cd "$(dirname "$0")/.."
VAR="$PWD/var"
mkdir -p "$VAR"
[ -f .env ] && set -a && . ./.env && set +a
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/weft}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_UPDATED=""

say() { printf '[services] %s\n' "$*"; }
apt_install() {
  [ -n "$APT_UPDATED" ] || { $SUDO apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
url_port() {  # url_port URL DEFAULT: the port of a service URL
  local hostport=${1#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
  case "$hostport" in *:*) echo "${hostport##*:}";; *) echo "$2";; esac
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
set_env() {  # set_env NAME VALUE: remember a changed URL in .env
  touch .env
  grep -v "^$1=" .env > .env.tmp || true
  echo "$1=$2" >> .env.tmp && mv .env.tmp .env
}

pg_ok() { command -v psql >/dev/null && psql "${DATABASE_URL%/*}/postgres" -Atqc 'select 1' >/dev/null 2>&1; }
redis_ok() { command -v redis-cli >/dev/null && [ "$(redis-cli -u "$REDIS_URL" ping 2>/dev/null)" = "PONG" ]; }

ensure_postgres() {
  if pg_ok; then say "PostgreSQL reachable"; return; fi
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ]; then say "installing PostgreSQL"; apt_install postgresql; bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
  pg_ok && { say "PostgreSQL reachable"; return; }
  local want port
  want=$(url_port "$DATABASE_URL" 5432); port=$want
  port_free "$port" || port=55432
  local data="$VAR/pg/data" run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  mkdir -p "$VAR/pg/sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$VAR/pg"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in var/pg"
    "${run[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  say "starting private PostgreSQL on 127.0.0.1:$port"
  "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$VAR/pg/log" -w start \
    -o "-p $port -k $VAR/pg/sock -c listen_addresses=127.0.0.1" >/dev/null
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/${DATABASE_URL##*/}"
  [ "$port" = "$want" ] || set_env DATABASE_URL "$DATABASE_URL"
  pg_ok || { say "PostgreSQL still unreachable"; exit 1; }
}

ensure_redis() {
  if redis_ok; then say "Redis reachable"; return; fi
  command -v redis-server >/dev/null || { say "installing Redis"; apt_install redis-server; }
  redis_ok && { say "Redis reachable"; return; }
  local want port
  want=$(url_port "$REDIS_URL" 6379); port=$want
  port_free "$port" || port=56379
  say "starting private Redis on 127.0.0.1:$port"
  mkdir -p "$VAR/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$VAR/redis" --pidfile "$VAR/redis/redis.pid" --logfile "$VAR/redis/redis.log"
  REDIS_URL="redis://127.0.0.1:$port/${REDIS_URL##*/}"
  [ "$port" = "$want" ] || set_env REDIS_URL "$REDIS_URL"
  for _ in $(seq 50); do redis_ok && break; sleep 0.1; done
  redis_ok || { say "Redis still unreachable"; exit 1; }
}

command -v psql >/dev/null || { say "installing the PostgreSQL client"; apt_install postgresql-client; }
command -v redis-cli >/dev/null || { say "installing the Redis client"; apt_install redis-tools; }
ensure_postgres
ensure_redis
db="${DATABASE_URL##*/}"
psql "${DATABASE_URL%/*}/postgres" -Atqc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "create database \"$db\"" >/dev/null
say "database $db ready"
