"""Drop cached hostname → tenant entries whenever what they hold changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .cache import forget_hostnames, forget_tenant_everywhere
from .models import Domain, Tenant, TenantModule


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def tenant_changed(sender, instance, **kwargs):
    if instance.pk:
        forget_tenant_everywhere(instance.pk)


@receiver(post_save, sender=TenantModule)
@receiver(post_delete, sender=TenantModule)
def module_changed(sender, instance, **kwargs):
    forget_tenant_everywhere(instance.tenant_id)


@receiver(pre_save, sender=Domain)
def domain_renaming(sender, instance, **kwargs):
    if instance.pk:
        old = Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        forget_hostnames([old])


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def domain_changed(sender, instance, **kwargs):
    forget_hostnames([instance.domain])
    transaction.on_commit(lambda: forget_hostnames([instance.domain]))


@receiver(post_save, sender="users.User")
@receiver(post_delete, sender="users.User")
@receiver(post_save, sender="users.Invitation")
def seats_changed(sender, instance, **kwargs):
    """Keep Tenant.seats_used (public schema) equal to billing's count of seat
    holders, so the ops console reads it without entering the schema."""
    from django.db import connection

    from billing.entitlements import seats_used

    if connection.schema_name == "public":
        return
    tenant = Tenant.objects.filter(schema_name=connection.schema_name).first()
    if tenant is not None:
        Tenant.objects.filter(pk=tenant.pk).update(seats_used=seats_used(tenant))
