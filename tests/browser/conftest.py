"""Fixtures of the browser journeys: a real server on the run's test database
(tests/browser/live.py) and Debian's Chromium (tests/browser/chromium.py)."""

import pytest

from .chromium import browse, chromium  # noqa: F401 - fixtures
from .live import serve


@pytest.fixture(scope="package")
def weft_server(django_db_setup, django_db_blocker):
    yield from serve(django_db_blocker)
