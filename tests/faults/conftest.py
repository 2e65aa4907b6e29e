"""One private installation (PostgreSQL, Redis, web server) for the fault
tests of this package; each test leaves its services running again."""

import pytest

from .infra import Installation


@pytest.fixture(scope="package")
def installation():
    install = Installation()
    try:
        install.set_up()
        yield install
    finally:
        install.tear_down()
