"""The `make security` summary of pip-audit: it counts what was really
audited, names known vulnerabilities, and lists what could not be checked."""

import json

from tests.security.audit_summary import main, summarize

REPORT = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {"name": "celery", "version": "5.7.0", "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.7.1"]}]},
        {"name": "stripe", "version": "16.1.0", "skip_reason": "Dependency not found on PyPI"},
    ],
    "fixes": [],
}


def test_summary_counts_audited_packages_and_names_vulnerabilities_and_skips():
    line, warnings = summarize(REPORT)
    assert line == "pip-audit: 2 of 3 packages audited, 1 known vulnerabilities"
    assert warnings == [
        "VULNERABLE celery 5.7.0: PYSEC-2099-1",
        "WARNING: pip-audit could not check 1 packages (no record at the vulnerability service): stripe",
    ]


def test_a_clean_full_audit_has_no_warnings():
    line, warnings = summarize({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})
    assert (line, warnings) == ("pip-audit: 1 of 1 packages audited, 0 known vulnerabilities", [])


def test_a_missing_report_fails(tmp_path, capsys):
    assert main(str(tmp_path / "absent.json")) == 1
    assert "the audit did not run" in capsys.readouterr().err
    report = tmp_path / "report.json"
    report.write_text(json.dumps(REPORT))
    assert main(str(report)) == 0
