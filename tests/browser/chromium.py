"""Debian's Chromium driven by Playwright, in a thread of its own, with a
screenshot of every page a failed journey had open (var/test-artifacts/browser/).

Why a thread: Playwright's sync API keeps an asyncio loop marked as running in
the thread that uses it, and Django refuses ORM calls (and pytest-django its
per-test transactions) in such a thread. So Chromium lives in a worker thread
for the package, and a test hands it a journey, a plain function
``journey(visitors, *args)`` that drives pages, while the test thread stays an
ordinary Django thread that can check the database before and after.
pytest-playwright's ``--headed`` and ``--slowmo`` options still apply.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("WEFT_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
ACTION_TIMEOUT_MS = 15_000
JOURNEY_SECONDS = 240

# Records CSP violations as the page sees them (securitypolicyviolation events).
# Init scripts are injected through the browser's debugging protocol, not by
# the page, so the page's own policy does not block this one.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                               line: e.lineNumber, sample: e.sample});
});
"""


class Visitors:
    """The browser contexts of one journey: each ``new_page()`` is a separate
    visitor (own cookies). Console errors and warnings, uncaught page errors
    and CSP violation reports are collected for assertions."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.console: list[str] = []
        self.page_errors: list[str] = []

    def new_page(self, viewport=None, locale="en-GB"):
        context = self.browser.new_context(viewport=viewport or DESKTOP, locale=locale)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.add_init_script(CSP_RECORDER)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        return page

    def _on_console(self, page, message):
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text} [{page.url}]")

    def screenshots(self, name: str) -> list[Path]:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        saved = []
        for c, context in enumerate(self.contexts):
            for p, page in enumerate(context.pages):
                path = ARTIFACTS / f"{stem}-{c}-{p}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception:  # noqa: BLE001, S112 - a broken page must not hide the real failure
                    continue
                saved.append(path)
        return saved

    def close(self):
        for context in self.contexts:
            context.close()


def csp_violations(page) -> list[dict]:
    return page.evaluate("window.__cspViolations || []")


class ChromiumThread:
    """One Chromium, driven from a worker thread; :meth:`run` hands it a journey."""

    def __init__(self, *, headed: bool = False, slow_mo: float = 0):
        self._jobs: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, args=(headed, slow_mo), name="chromium", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout=60):
            raise RuntimeError("Chromium did not start within 60 s")
        if self._startup_error is not None:
            raise self._startup_error

    def _main(self, headed, slow_mo):
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=not headed, slow_mo=slow_mo
                )
                self._ready.set()
                while (job := self._jobs.get()) is not None:
                    job(browser)
                browser.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self._startup_error = exc
            self._ready.set()

    def run(self, name: str, journey, *args, **kwargs):
        """Run ``journey(visitors, *args, **kwargs)`` in the browser thread and
        return its result; on failure, screenshot every open page, then re-raise."""
        outcome: dict = {}
        done = threading.Event()

        def job(browser):
            visitors = Visitors(browser)
            try:
                outcome["value"] = journey(visitors, *args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
                outcome["error"] = exc
                outcome["screenshots"] = visitors.screenshots(name)
            finally:
                try:
                    visitors.close()
                finally:
                    done.set()

        self._jobs.put(job)
        if not done.wait(timeout=JOURNEY_SECONDS):
            raise TimeoutError(f"journey {journey.__name__} did not finish within {JOURNEY_SECONDS} s")
        if "error" in outcome:
            for path in outcome["screenshots"]:
                print(f"screenshot: {path}")
            raise outcome["error"]
        return outcome.get("value")

    def close(self):
        self._jobs.put(None)
        self._thread.join(timeout=30)


@pytest.fixture(scope="package")
def chromium(weft_server, pytestconfig):
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"{CHROMIUM} is missing: `apt-get install -y chromium` (or `make browser-deps`).")
    browser = ChromiumThread(
        headed=pytestconfig.getoption("headed", default=False),
        slow_mo=pytestconfig.getoption("slowmo", default=0) or 0,
    )
    yield browser
    browser.close()


@pytest.fixture
def browse(chromium, request):
    """``browse(journey, *args)`` runs a journey in Chromium for this test."""

    def _browse(journey, *args, **kwargs):
        return chromium.run(request.node.nodeid, journey, *args, **kwargs)

    return _browse
