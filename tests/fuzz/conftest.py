"""API fuzzing runs against a real server on the run's test database (the one
the browser tests use, tests/browser/live.py), in a workspace of its own made
through the public signup API, so what the fuzzer creates never mixes with the
tenants other tests count on; the workspace is dropped when the package ends."""

import json

import pytest

from tests.browser.live import http, serve, unique_subdomain
from tests.browser.pages import signup_via_api


@pytest.fixture(scope="package")
def weft_server(django_db_setup, django_db_blocker):
    yield from serve(django_db_blocker)


@pytest.fixture(scope="package")
def fuzz_workspace(weft_server):
    """A trial workspace (every module on) and a bearer token of its admin."""
    workspace = signup_via_api(weft_server, unique_subdomain("fuzz"))
    host = f"{workspace['subdomain']}.localhost"
    status, _headers, body = http(
        "POST", f"{weft_server.loopback}/api/v1/auth/token/", host=host, headers={"Content-Type": "application/json"},
        body=json.dumps({"email": workspace["email"], "password": workspace["password"], "name": "fuzzing"}).encode(),
    )
    assert status == 200, body
    return {**workspace, "host": host, "token": json.loads(body)["token"]}
