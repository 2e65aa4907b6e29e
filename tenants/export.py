"""Tenant data export: every table of the tenant's schema as CSV (with a
header row) in a zip archive, plus manifest.json listing each table, its
columns and row count. Built table by table, recording progress."""

from __future__ import annotations

import io
import logging
import json
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

from core.errors import DomainError, ErrorCode

from .files import tenant_files
from .models import Tenant, TenantExport, TenantKind

logger = logging.getLogger(__name__)


def export_create(*, tenant: Tenant, requested_by: str) -> TenantExport:
    if tenant.kind != TenantKind.CUSTOMER:
        raise DomainError(_("Only customer workspaces can be exported."), code=ErrorCode.CONFLICT)
    running = TenantExport.objects.filter(
        tenant=tenant, status__in=[TenantExport.Status.QUEUED, TenantExport.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    return TenantExport.objects.create(
        tenant=tenant, tenant_label=tenant.subdomain or tenant.schema_name, requested_by=requested_by
    )


def export_request(*, tenant: Tenant, requested_by: str) -> TenantExport:
    """Create (or return the running) export and queue its build after commit.
    The row is the outbox: if the broker is down, the periodic sweep
    (tasks.build_queued_exports) starts it later."""
    from django.db import transaction

    export = export_create(tenant=tenant, requested_by=requested_by)
    if export.status == TenantExport.Status.QUEUED:
        transaction.on_commit(lambda: _queue_build(export.pk))
    return export


def _queue_build(export_id) -> None:
    from .tasks import build_tenant_export

    try:
        build_tenant_export.delay(str(export_id))
    except Exception:  # noqa: BLE001 - the sweep picks it up once the broker is back
        logger.warning("Could not queue export %s; the periodic sweep will build it.", export_id, exc_info=True)


def queued_exports(older_than_seconds: int = 120):
    """Exports still waiting for a worker (their queue message was lost)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return TenantExport.objects.filter(status=TenantExport.Status.QUEUED, created_at__lt=cutoff)


def _tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' "
            "ORDER BY c.relname",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]


def _set(export_id, **fields) -> None:
    TenantExport.objects.filter(pk=export_id).update(**fields)


def archive_path(export: TenantExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / f"{export.tenant_label}-{export.pk}.zip"


def build_export(export_id) -> None:
    """Write the archive; progress goes 0 → 100 as tables are written."""
    connection.set_schema_to_public()
    export = TenantExport.objects.select_related("tenant").get(pk=export_id)
    if export.status == TenantExport.Status.DONE:
        return
    schema = export.tenant.schema_name
    _set(export_id, status=TenantExport.Status.RUNNING, progress=0, error="")
    path = archive_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        tables = _tables(schema)
        manifest = {
            "tenant": {"name": export.tenant.name, "subdomain": export.tenant.subdomain,
                       "public_id": str(export.tenant.public_id)},
            "created_at": timezone.now().isoformat(),
            "format": "one CSV file per table, UTF-8, header row; uploaded files under files/",
            "tables": {},
            "files": [],
        }
        connection.ensure_connection()
        raw = connection.connection
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, table in enumerate(tables, start=1):
                buffer = io.StringIO()
                with raw.cursor() as cursor:
                    query = sql.SQL("COPY (SELECT * FROM {}.{}) TO STDOUT WITH CSV HEADER").format(
                        sql.Identifier(schema), sql.Identifier(table)
                    )
                    cursor.copy_expert(query.as_string(raw), buffer)
                    cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema),
                                                                              sql.Identifier(table)))
                    rows = cursor.fetchone()[0]
                text = buffer.getvalue()
                archive.writestr(f"tables/{table}.csv", text)
                header = text.split("\n", 1)[0]
                manifest["tables"][table] = {"file": f"tables/{table}.csv", "rows": rows,
                                             "columns": header.split(",") if header else []}
                _set(export_id, progress=int(index * 99 / max(len(tables), 1)))
            for name in tenant_files(schema):
                with default_storage.open(name) as stored:
                    archive.writestr(f"files/{name.removeprefix(schema + '/')}", stored.read())
                manifest["files"].append(f"files/{name.removeprefix(schema + '/')}")
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        _set(export_id, status=TenantExport.Status.DONE, progress=100, file_path=str(path),
             size_bytes=path.stat().st_size, finished_at=timezone.now())
    except Exception as exc:
        path.unlink(missing_ok=True)
        _set(export_id, status=TenantExport.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}",
             finished_at=timezone.now())
        raise
