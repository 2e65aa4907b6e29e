"""A workspace's uploaded files: everything under ``<schema name>/`` in the
default storage (attachments are stored there, see modules/oa/services/
attachments.py). The export copies them; deleting a workspace removes them."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files.storage import default_storage


def tenant_files(schema_name: str) -> Iterator[str]:
    """Storage names of every file the workspace uploaded."""
    pending = [schema_name]
    while pending:
        folder = pending.pop()
        if not default_storage.exists(folder):
            continue
        directories, files = default_storage.listdir(folder)
        pending.extend(f"{folder}/{name}" for name in directories)
        yield from (f"{folder}/{name}" for name in sorted(files))


def delete_tenant_files(schema_name: str) -> int:
    """Remove the workspace's uploaded files; returns how many."""
    names = list(tenant_files(schema_name))
    for name in names:
        default_storage.delete(name)
    return len(names)
