"""Settings of the live server the browser, fuzzing and security tests start:
the production settings module with debug off, plus static files served from
the source folders (a test run does not need `collectstatic` to have run)."""

from core.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
