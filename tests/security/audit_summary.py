"""Summary of a pip-audit JSON report for `make security`.

pip-audit's exit code already fails the build on a known vulnerability. This
summary says how much was actually checked: a package the vulnerability
service has no record of (for instance a version published only to a mirror)
is skipped, and pip-audit still answers "No known vulnerabilities found", so
the skipped packages are listed loudly instead of being passed over.

Usage: python -m tests.security.audit_summary var/pip-audit.json
"""

from __future__ import annotations

import json
import sys


def summarize(report: dict) -> tuple[str, list[str]]:
    """(one-line summary, warning lines)."""
    dependencies = report["dependencies"]
    skipped = sorted(d["name"] for d in dependencies if "skip_reason" in d)
    found = sorted(f"{d['name']} {d['version']}: {v['id']}" for d in dependencies for v in d.get("vulns", []))
    audited = len(dependencies) - len(skipped)
    line = f"pip-audit: {audited} of {len(dependencies)} packages audited, {len(found)} known vulnerabilities"
    warnings = [f"VULNERABLE {item}" for item in found]
    if skipped:
        warnings.append(
            f"WARNING: pip-audit could not check {len(skipped)} packages (no record at the vulnerability "
            f"service): {', '.join(skipped)}"
        )
    return line, warnings


def main(path: str) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError) as exc:
        print(f"pip-audit wrote no report ({exc}): the audit did not run.", file=sys.stderr)
        return 1
    line, warnings = summarize(report)
    print(line)
    for warning in warnings:
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
