"""schemathesis against the project's own OpenAPI schemas, served by a real
server: every operation of a workspace's API (as its admin, with a bearer
token, on the workspace host) and of the root site's API. Checks: no 5xx, and
every response matches its documented body schema, content type and headers;
auth that a schema requires is really enforced.

CI runs a few examples per operation (WEFT_FUZZ_EXAMPLES, default 5) without
the coverage phase (WEFT_FUZZ_PHASES); `make fuzz-long` runs every phase with
many more examples. The full report of a run is in
var/test-artifacts/fuzz/. To replay a run, set WEFT_FUZZ_SEED to the seed it printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from tests.browser.live import http

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WEFT_FUZZ_EXAMPLES", "5"))
# The coverage phase (boundary values of every parameter) takes minutes; the long run adds it.
PHASES = os.environ.get("WEFT_FUZZ_PHASES", "examples,fuzzing,stateful")
SEED = os.environ.get("WEFT_FUZZ_SEED")
CHECKS = [
    "not_a_server_error", "response_schema_conformance", "content_type_conformance",
    "response_headers_conformance", "ignored_auth",
]
REPORTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "fuzz"
METHODS = {"get", "post", "put", "patch", "delete"}


def operation_count(urlconf: str) -> int:
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    return sum(1 for methods in schema["paths"].values() for method in methods if method in METHODS)


def schemathesis(name: str, schema_url: str, *headers: str) -> tuple[int, str]:
    """Run the schemathesis CLI; returns (exit code, output) and keeps the output."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--no-color", "run", schema_url,
        "--checks", ",".join(CHECKS), "--max-examples", str(EXAMPLES),
        "--phases", PHASES, "--workers", "1", "--request-timeout", "30",
        "--generation-database", "none", "--suppress-health-check", "all", "--output-truncate", "false",
        "--report", "junit", "--report-junit-path", str(REPORTS / f"{name}.xml"),
    ]
    for header in headers:
        command += ["-H", header]
    if SEED:
        command += ["--seed", SEED]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPORTS)
    output = result.stdout + result.stderr
    (REPORTS / f"{name}.txt").write_text(output)
    return result.returncode, output


def summary(output: str) -> str:
    return output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-6000:]


def operations_covered(output: str) -> tuple[int, int, int]:
    """(selected, total, tested) from the run's summary."""
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected and tested, summary(output)
    return int(selected.group(1)), int(selected.group(2)), int(tested.group(1))


def test_the_fuzzer_is_a_workspace_admin(weft_server, fuzz_workspace):
    status, _headers, body = http("GET", f"{weft_server.loopback}/api/v1/me/", host=fuzz_workspace["host"],
                                  headers={"Authorization": f"Bearer {fuzz_workspace['token']}"})
    assert status == 200
    me = json.loads(body)
    assert (me["email"], me["is_tenant_admin"]) == (fuzz_workspace["email"], True)


def test_every_workspace_api_operation_survives_fuzzing(weft_server, fuzz_workspace):
    code, output = schemathesis(
        "tenant-api", f"{weft_server.loopback}/api/schema/",
        f"Host: {fuzz_workspace['host']}", f"Authorization: Bearer {fuzz_workspace['token']}",
    )
    assert code == 0, output[-20000:]
    operations = operation_count("api.urls_schema")
    assert operations_covered(output) == (operations, operations, operations)
    assert weft_server.process.poll() is None


def test_every_root_site_api_operation_survives_fuzzing(weft_server):
    code, output = schemathesis("public-api", f"{weft_server.loopback}/api/schema/", f"Host: {settings.ROOT_DOMAIN}")
    assert code == 0, output[-20000:]
    operations = operation_count("tenants.api.urls_schema")
    assert operations_covered(output) == (operations, operations, operations)
