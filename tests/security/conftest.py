"""The browser-side checks use the same real server and Chromium as the
journeys (tests/browser/live.py, tests/browser/chromium.py)."""

import pytest

from tests.browser.chromium import browse, chromium  # noqa: F401 - fixtures
from tests.browser.live import serve


@pytest.fixture(scope="package")
def weft_server(django_db_setup, django_db_blocker):
    yield from serve(django_db_blocker)
