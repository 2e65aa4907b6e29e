"""The template check fails when the template lags behind the migrations."""

import sys
import textwrap

import pytest
from django.core.management import CommandError, call_command

from tenants.provisioning import template_lag, template_schema


def test_template_is_current(db):
    assert template_lag(template_schema()) == []
    call_command("check_tenant_template")


def test_check_fails_when_a_migration_is_missing_from_the_template(db, tmp_path, settings, monkeypatch):
    """Point the catalog app at a copy of its migrations plus one new
    migration the template has never applied."""
    import shutil

    import core.catalog.migrations as real

    package = tmp_path / "extra_catalog_migrations"
    shutil.copytree(real.__path__[0], package, ignore=shutil.ignore_patterns("__pycache__"))
    existing = sorted(p.stem for p in package.glob("0*.py"))
    (package / "9999_extra_column.py").write_text(
        textwrap.dedent(
            f"""
            from django.db import migrations, models

            class Migration(migrations.Migration):
                dependencies = [("catalog", "{existing[-1]}")]
                operations = [migrations.AddField("product", "barcode", models.CharField(max_length=32, default=""))]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"catalog": "extra_catalog_migrations"}
    try:
        assert template_lag(template_schema()) == ["catalog.9999_extra_column"]
        with pytest.raises(CommandError, match="catalog.9999_extra_column"):
            call_command("check_tenant_template")
    finally:
        sys.modules.pop("extra_catalog_migrations", None)
