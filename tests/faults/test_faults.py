"""Faults on a private installation (tests/faults/infra.py): Redis stopped,
PostgreSQL restarted, a Celery worker killed with SIGKILL in the middle of a
task. Each test starts from a running installation and leaves one behind."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.browser.live import http

from .infra import wait_until


def page(install, path, workspace):
    return install.get(path, host=workspace["host"], headers={"Cookie": f"sessionid={workspace['session']}"})


def api(install, path, workspace):
    return install.get(path, host=workspace["host"], headers={"Authorization": f"Bearer {workspace['token']}"})


def sign_in_with_password(install, workspace) -> int:
    """The sign-in form, as a browser posts it (CSRF cookie and token)."""
    status, headers, body = install.get("/accounts/login/", host=workspace["host"])
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    csrf_cookie = next(v.split(";")[0] for v in headers.get_all("Set-Cookie") if v.startswith("csrftoken="))
    status, _headers, _body = http(
        "POST", f"http://127.0.0.1:{install.web_port}/accounts/login/", host=workspace["host"],
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf_cookie},
        body=urlencode({"csrfmiddlewaretoken": token, "email": workspace["email"],
                        "password": workspace["password"]}).encode(),
    )
    return status


@pytest.fixture(scope="module")
def worker(installation):
    """A Celery worker on the installation's Redis (default queue)."""
    app = installation.start_worker("worker")
    wait_until(lambda: "ready." in app.log(), 60, "worker ready")
    yield app
    app.stop()


def test_with_redis_stopped_pages_and_api_serve_and_the_pool_refill_happens_once_it_is_back(installation, worker):
    install = installation
    wait_until(lambda: install.spares() == 2, 60, "pool full", logs=[worker])
    workspace = install.signup("redis-down")
    wait_until(lambda: install.spares() == 2, 60, "pool refilled after the first signup", logs=[worker])
    assert page(install, "/", workspace)[0] == 200  # warm: the host is cached in Redis

    install.redis.stop()
    try:
        # Pages and API still serve (the workspace is looked up in PostgreSQL).
        assert install.get("/", host="localhost")[0] == 200
        assert page(install, "/", workspace)[0] == 200
        assert page(install, "/settings/users/", workspace)[0] == 200
        status, _headers, body = api(install, "/api/v1/users/", workspace)
        assert status == 200 and json.loads(body)["count"] == 1
        assert sign_in_with_password(install, workspace) == 302
        status, _headers, body = install.get("/healthz", host=workspace["host"])
        assert status == 503
        assert json.loads(body)["checks"]["redis"].startswith("error")

        # A signup works too; its pool refill cannot be queued, so it is left for later.
        latecomer = install.signup("redis-down-late")
        assert page(install, "/", latecomer)[0] == 200
        assert install.spares() == 1
        assert "Could not queue a spare pool refill" in install.web.log()
        assert "Redis unreachable" in install.web.log()  # core/cache.py said so, once
    finally:
        install.redis.start()

    # Redis is back: the worker reconnects, and the periodic refill (sent here
    # as beat sends it) tops the pool up to its size exactly.
    refill = settings.CELERY_BEAT_SCHEDULE["refill-spare-pool"]
    assert refill["schedule"] <= 60
    install.manage("shell", "-c", f"from core.celery import app; app.send_task({refill['task']!r})")
    wait_until(lambda: install.spares() == 2, 60, "pool refilled once Redis is back", logs=[worker])
    time.sleep(1)
    assert install.spares() == 2
    assert page(install, "/", workspace)[0] == 200


def test_after_postgresql_restarts_the_app_recovers_without_being_restarted(installation, worker):
    install = installation
    workspace = install.signup("pg-restart")
    wait_until(lambda: install.spares() == 2, 60, "pool full", logs=[worker])
    for _ in range(8):  # every server thread holds a persistent connection now
        assert api(install, "/api/v1/users/", workspace)[0] == 200
    web_pid = install.web.process.pid

    install.pg.stop()
    try:
        started = time.monotonic()
        status, _headers, body = api(install, "/api/v1/users/", workspace)
        assert status == 500 and json.loads(body)["error"]["code"] == "server_error"
        assert page(install, "/", workspace)[0] == 500
        assert time.monotonic() - started < 10  # fails fast, does not hang
    finally:
        install.pg.start()

    # Same server process, no restart: stale connections are dropped and replaced.
    answers = [api(install, "/api/v1/users/", workspace)[0] for _ in range(12)]
    assert answers == [200] * 12
    assert page(install, "/", workspace)[0] == 200
    assert install.web.process.pid == web_pid and install.web.process.poll() is None
    # Writes work again, and so does the worker: a signup's refill is queued and done.
    install.signup("pg-restart-after")
    wait_until(lambda: install.spares() == 2, 60, "worker refilled the pool after the restart", logs=[worker])


def test_a_worker_killed_mid_task_runs_it_again_and_its_effect_happens_once(installation, worker):
    """refill_spare_pool tops the pool up to its size, one committed clone at a
    time. A worker is SIGKILLed half-way; with acks_late the message is still
    in Redis, so after the visibility timeout (5 s here) another worker gets
    the same message and finishes the job: the pool ends exactly full, with no
    half-made schema left behind."""
    install = installation
    wait_until(lambda: install.spares() == 2, 60, "pool full", logs=[worker])
    worker.stop()  # only the workers of this test consume
    size = 6
    doomed = install.start_worker("doomed", WEFT_SPARE_POOL_SIZE=str(size))
    wait_until(lambda: "ready." in doomed.log(), 60, "worker ready")

    install.manage("shell", "-c", "from core.celery import app; app.send_task('tenants.tasks.refill_spare_pool')")
    wait_until(lambda: install.spares() >= 3, 60, "the refill started", interval=0.02, logs=[doomed])
    doomed.kill()  # SIGKILL, mid-task
    at_kill = install.spares()
    assert 3 <= at_kill < size, at_kill
    task_id = re.search(r"Task tenants\.tasks\.refill_spare_pool\[([0-9a-f-]+)\] received", doomed.log()).group(1)
    assert "succeeded" not in doomed.log()
    time.sleep(1)
    assert install.spares() == at_kill  # nothing else is working on it

    time.sleep(5)  # the visibility timeout passes while no worker runs
    rescuer = install.start_worker("rescuer", WEFT_SPARE_POOL_SIZE=str(size))
    wait_until(lambda: f"refill_spare_pool[{task_id}] succeeded" in rescuer.log(), 60, "the same task ran again",
               logs=[rescuer])
    assert install.spares() == size
    made = re.search(rf"refill_spare_pool\[{task_id}\] succeeded in [0-9.]+s: (\d+)", rescuer.log()).group(1)
    assert int(made) == size - at_kill
    # No half-made clone: every t_ schema belongs to a tenant row and vice versa.
    schemas = {row[0] for row in install.pg.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")}
    tenants = {row[0] for row in install.pg.query(
        "SELECT schema_name FROM tenants_tenant WHERE schema_name <> 'public'")}
    assert schemas == tenants
    rescuer.stop()
