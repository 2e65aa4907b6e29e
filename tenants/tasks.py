"""Background work of the platform: keep the spare schema pool full."""

from celery import shared_task

from . import provisioning


@shared_task(acks_late=True, ignore_result=True)
def refill_spare_pool() -> int:
    return provisioning.refill_pool()


@shared_task(acks_late=True, ignore_result=True)
def build_tenant_export(export_id: str) -> None:
    from .export import build_export

    build_export(export_id)


@shared_task(acks_late=True, ignore_result=True)
def delete_due_tenants() -> list[str]:
    """Beat: export, then drop, every workspace whose deletion grace has passed."""
    from .lifecycle import tenant_delete_now, tenants_due_for_deletion

    deleted = []
    for tenant in tenants_due_for_deletion():
        tenant_delete_now(tenant=tenant)
        deleted.append(tenant.subdomain)
    return deleted


@shared_task(acks_late=True, ignore_result=True)
def build_queued_exports() -> int:
    """Beat: build exports whose queue message never reached a worker."""
    from .export import build_export, queued_exports

    built = 0
    for export in queued_exports():
        build_export(export.pk)
        built += 1
    return built
