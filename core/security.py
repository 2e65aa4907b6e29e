"""Security headers on every response: Content-Security-Policy and
Permissions-Policy.

The policy allows only our own origin for scripts, styles, fonts and
connections; no inline script, no inline style, no framing. Forms may post to
our own origin and to tenant subdomains (the root site's signup and "sign in
to your workspace" forms end in a redirect to ``<sub>.<ROOT_DOMAIN>``, which
``form-action`` also governs).

One exception: the interactive API docs (swagger-ui from drf-spectacular's
sidecar) boot from an inline ``<script>``. On those paths the middleware
hashes exactly that script into the policy (``'sha256-…'``) instead of
allowing any inline script; swagger-ui's inline ``<style>`` and the styles it
sets at run time get ``style-src 'unsafe-inline'``. Still no host but ours.

The middleware sits first in MIDDLEWARE so that early responses (unknown
workspace, suspended workspace) carry the headers too. A view that sets its
own ``Content-Security-Policy`` keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import re

from django.conf import settings

INLINE_BLOCK_RE = re.compile(rb"<(script|style)(?:\s[^>]*)?>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)


def build_policy(directives: dict[str, list[str] | tuple[str, ...]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


def inline_hashes(html: bytes) -> dict[str, list[str]]:
    """``{"script": [...], "style": [...]}`` CSP hash sources of the inline
    ``<script>`` (without ``src``) and ``<style>`` blocks in ``html``."""
    found: dict[str, list[str]] = {"script": [], "style": []}
    for match in INLINE_BLOCK_RE.finditer(html):
        tag = match.group(1).lower().decode()
        opening = html[match.start(): match.start(2)]
        if tag == "script" and b"src=" in opening.lower():
            continue
        body = match.group(2)
        if not body.strip():
            continue
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in found[tag]:
            found[tag].append(source)
    return found


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy(settings.CSP_DIRECTIVES)
        self.exempt_prefixes = tuple(settings.CSP_DOCS_PATHS)
        self.permissions_policy = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy_for(request, response)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        return response

    def policy_for(self, request, response) -> str:
        if not request.path.startswith(self.exempt_prefixes):
            return self.policy
        directives = {name: list(values) for name, values in settings.CSP_DIRECTIVES.items()}
        html = b"" if getattr(response, "streaming", False) else response.content
        hashes = inline_hashes(html)
        directives["script-src"] = [*directives["script-src"], *hashes["script"]]
        # swagger-ui sets styles at run time; allow inline styles, still only from us.
        directives["style-src"] = [*directives["style-src"], "'unsafe-inline'"]
        return build_policy(directives)
