"""A private Weft installation for fault tests: its own PostgreSQL cluster and
Redis on free ports under a temporary folder, migrated and prepared like a
real install, with a web server and Celery workers as subprocesses. The tests
stop and start these private services; the machine's shared PostgreSQL and
Redis are never touched. Every wait is bounded."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg2
from django.conf import settings

from tests.browser.live import free_port, http

STEP_TIMEOUT = 120


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise RuntimeError("PostgreSQL server binaries are missing (apt-get install -y postgresql).")
    return found[-1].parent


def wait_until(predicate, seconds: float, what: str, interval: float = 0.1, logs=()):
    """Poll ``predicate`` until it is true; on time-out, show the tail of ``logs`` (Apps)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tails = "".join(f"\n--- {app.name} log ---\n{app.log()[-3000:]}" for app in logs)
    raise TimeoutError(f"{what}: not within {seconds} s{tails}")


class PrivatePostgres:
    def __init__(self, root: Path):
        self.root = root / "pg"
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.port = free_port()
        self.bindir = _bindir()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, *args, timeout=STEP_TIMEOUT):
        return subprocess.run([*self.as_owner, *args], check=True, capture_output=True, text=True, timeout=timeout)

    def init(self) -> None:
        self.sock.mkdir(parents=True)
        if self.as_owner:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        self._pg(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._pg(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                 "-o", options, "start")

    def stop(self) -> None:
        self._pg(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return subprocess.run([*self.as_owner, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"],
                              capture_output=True, timeout=30).returncode == 0

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql: str, params=(), database: str = "weft"):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database,
                                      connect_timeout=10)
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql, params or None)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def scalar(self, sql: str, params=(), database: str = "weft"):
        return self.query(sql, params, database)[0][0]


class PrivateRedis:
    def __init__(self, root: Path):
        self.root = root / "redis"
        self.root.mkdir(parents=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, 20, "Redis answering")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        wait_until(lambda: not self.ping(), 20, "Redis gone")

    def ping(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True,
                                timeout=10)
        return result.stdout.strip() == "PONG"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class App:
    """A process of the installation (web server or worker) with its log."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.log_path = name, log
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL) -> None:
        """Signal the whole process group (a worker and any children) and reap it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Installation:
    """PostgreSQL + Redis + migrated platform + a web server, all private."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="weft-faults-"))
        os.chmod(self.root, 0o755)
        self.pg = PrivatePostgres(self.root)
        self.redis = PrivateRedis(self.root)
        self.web_port = free_port()
        self.secret = secrets.token_urlsafe(40)
        self.apps: list[App] = []
        self.web: App | None = None

    # ----------------------------------------------------------------- set-up

    def env(self, **extra) -> dict:
        inherited = {k: v for k, v in os.environ.items()
                     if not k.startswith(("WEFT_", "DJANGO_", "CELERY_")) and k not in ("DATABASE_URL", "REDIS_URL")}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
            "DATABASE_URL": self.pg.url("weft"),
            "REDIS_URL": self.redis.url,
            "WEFT_CACHE_PREFIX": "faults",
            "WEFT_DEBUG": "false",
            "WEFT_SECRET_KEY": self.secret,
            "WEFT_SECURE_COOKIES": "false",
            "WEFT_BEHIND_PROXY": "false",
            "WEFT_PUBLIC_PORT": str(self.web_port),
            "WEFT_SPARE_POOL_SIZE": "2",
            "WEFT_SIGNUP_RATE_PER_HOUR": "1000",
            "WEFT_CELERY_VISIBILITY": "5",
            "WEFT_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env(),
                                capture_output=True, text=True, timeout=STEP_TIMEOUT)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
        return result.stdout

    def set_up(self) -> None:
        self.pg.init()
        self.pg.start()
        self.pg.query("CREATE DATABASE weft", database="postgres")
        self.redis.start()
        self.manage("migrate_schemas", "-v0")
        self.manage("prepare_platform")
        self.start_web()

    def start_web(self) -> None:
        self.web = self.start(
            "web", [sys.executable, "-m", "gunicorn", "core.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}",
                    "--workers", "1", "--threads", "4", "--timeout", "30", "--graceful-timeout", "5",
                    "--error-logfile", "-"],
        )
        wait_until(lambda: self._answers(), 30, "web server answering")

    def _answers(self) -> bool:
        try:
            return self.get("/healthz", host="localhost")[0] in (200, 503)
        except OSError:
            return False

    def start(self, name: str, command: list[str], **env) -> App:
        app = App(name, command, self.env(**env), self.root / f"{name}-{len(self.apps)}.log")
        self.apps.append(app)
        return app

    def start_worker(self, name: str = "worker", **env) -> App:
        return self.start(
            name, [sys.executable, "-m", "celery", "-A", "core", "worker", "--pool=solo", "-l", "info",
                   "-n", f"{name}-{len(self.apps)}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            **env,
        )

    def tear_down(self) -> None:
        for app in reversed(self.apps):
            app.stop()
        if self.redis.process is not None and self.redis.process.poll() is None:
            self.redis.stop()
        if self.pg.running():
            self.pg.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------- requests

    def get(self, path: str, *, host: str, **kwargs):
        return http("GET", f"http://127.0.0.1:{self.web_port}{path}", host=host, timeout=30, **kwargs)

    def post_json(self, path: str, payload: dict, *, host: str, headers: dict | None = None):
        return http("POST", f"http://127.0.0.1:{self.web_port}{path}", host=host, timeout=60,
                    headers={"Content-Type": "application/json", **(headers or {})},
                    body=json.dumps(payload).encode())

    def signup(self, subdomain: str) -> dict:
        """A workspace made through the signup API, with a session cookie of its
        admin (from the one-time sign-in link) and a bearer token."""
        password = "Fault-pass-2026"
        status, _headers, body = self.post_json("/api/v1/signup/", {
            "company_name": f"{subdomain.title()} Ltd", "subdomain": subdomain, "admin_name": "Flo Fault",
            "admin_email": f"flo@{subdomain}.test", "admin_password": password,
        }, host="localhost")
        assert status == 201, body
        answer = json.loads(body)
        host = f"{subdomain}.localhost"
        handoff = answer["login_url"].split(host, 1)[1].split("/", 1)[1]
        status, headers, _body = self.get(f"/{handoff}", host=host)
        assert status == 302, status
        session = cookie(headers, "sessionid")
        status, _headers, body = self.post_json("/api/v1/auth/token/", {
            "email": f"flo@{subdomain}.test", "password": password, "name": "faults"}, host=host)
        assert status == 200, body
        return {"host": host, "email": f"flo@{subdomain}.test", "password": password, "session": session,
                "token": json.loads(body)["token"]}

    def spares(self) -> int:
        return self.pg.scalar("SELECT count(*) FROM tenants_tenant WHERE kind = 'spare'")


def cookie(headers, name: str) -> str:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar[name].value
