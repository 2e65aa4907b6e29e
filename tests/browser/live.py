"""A real Weft server (gunicorn, the production settings module) against this
run's test database, for the browser journeys, the API fuzzing and the
browser-side security checks.

The session fixture of the root conftest has already committed the platform
(template, spare pool, tenants alpha and beta) into the per-run test database;
the server reads that database, the run's Redis database and cache prefix, so
the suite's own cache clean-up covers its keys too. Debug is off, as in
production (Django's debug 404 page would break the CSP checks). Work it would queue runs
eagerly in the request (no worker, no stray messages in a shared Redis), and
emails go to its log (console backend), where a journey reads an invitation
link the way a person reads their mail.

Everything the server creates is committed: :func:`serve` drops the
workspaces (and their schemas) created while it ran, when the package ends.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

STARTUP_SECONDS = 30
REQUEST_TIMEOUT = 15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(method: str, url: str, *, host: str | None = None, headers: dict | None = None, body: bytes | None = None,
         timeout: float = REQUEST_TIMEOUT):
    """A plain HTTP request (no redirects followed) to 127.0.0.1 with ``host``
    as the Host header (Python does not resolve *.localhost); returns
    (status, headers, body), the headers as an ``http.client.HTTPMessage``."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if host:
        request.add_header("Host", host)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@dataclass
class LiveServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def root_url(self) -> str:
        return f"http://{settings.ROOT_DOMAIN}:{self.port}"

    def tenant_url(self, subdomain: str) -> str:
        return f"http://{subdomain}.{settings.ROOT_DOMAIN}:{self.port}"

    @property
    def loopback(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def invitation_links(self, subdomain: str) -> list[str]:
        """Invitation and reset links the server has emailed for a workspace, oldest first."""
        base = re.escape(self.tenant_url(subdomain))
        return re.findall(rf"{base}/accounts/invitation/[A-Za-z0-9_\-]+/", self.log())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def server_env(port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.TEST_REDIS_URL,
        "CELERY_BROKER_URL": settings.TEST_REDIS_URL,
        "WEFT_CACHE_PREFIX": settings.TEST_DATABASE,
        "WEFT_CELERY_EAGER": "true",
        "WEFT_PUBLIC_PORT": str(port),
        "WEFT_PUBLIC_SCHEME": "http",
        "WEFT_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "WEFT_SPARE_POOL_SIZE": str(settings.TENANT_SPARE_POOL_SIZE),
        "WEFT_SIGNUP_RATE_PER_HOUR": "1000",
        "WEFT_LOG_LEVEL": "WARNING",
        "WEFT_DEBUG": "false",
        "WEFT_SECRET_KEY": secrets.token_urlsafe(40),
        # Plain http on the loopback: cookies cannot be Secure-only here
        # (tests/security checks that they are behind HTTPS).
        "WEFT_SECURE_COOKIES": "false",
        "PYTHONUNBUFFERED": "1",
    }


def start_server() -> LiveServer:
    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="weft-live-")) / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "core.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
             "--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"],
            cwd=settings.BASE_DIR, env=server_env(port), stdout=log, stderr=subprocess.STDOUT,
        )
    server = LiveServer(port=port, process=process, log_path=log_path)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The live server exited with {process.returncode}:\n{server.log()[-4000:]}")
        try:
            status, _headers, _body = http("GET", f"{server.loopback}/healthz", host=settings.ROOT_DOMAIN, timeout=2)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"The live server did not answer within {STARTUP_SECONDS}s:\n{server.log()[-4000:]}")


def serve(blocker):
    """Generator for a package-scoped fixture: a server for the package; then
    the workspaces it created are dropped (rows and schemas) and its database
    sessions are gone before the next package, or the end of the run, needs the
    database. Runs outside any test transaction, so what it deletes stays deleted."""
    with blocker.unblock():
        known = customer_tenant_ids()
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
        with blocker.unblock():
            drop_tenants_created_since(known)
            wait_for_other_sessions_to_end()


def customer_tenant_ids() -> set:
    from django.db import connection

    from tenants.models import Tenant, TenantKind

    connection.set_schema_to_public()
    return set(Tenant.objects.filter(kind=TenantKind.CUSTOMER).values_list("pk", flat=True))


def drop_tenants_created_since(known_ids: set) -> list[str]:
    """Delete the workspaces (rows and schemas) not in ``known_ids``; returns
    their subdomains."""
    from django.db import connection

    from tenants.models import Tenant, TenantKind

    connection.set_schema_to_public()
    dropped = []
    for tenant in Tenant.objects.filter(kind=TenantKind.CUSTOMER).exclude(pk__in=known_ids):
        dropped.append(tenant.subdomain)
        tenant.delete(force_drop=True)
        connection.set_schema_to_public()
    return dropped


def wait_for_other_sessions_to_end(seconds: float = 15) -> None:
    """PostgreSQL ends a backend shortly after its client goes; the test
    database can only be dropped once the server's connections are gone."""
    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)


def unique_subdomain(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{int(time.time() * 1000) % 10_000_000}"
