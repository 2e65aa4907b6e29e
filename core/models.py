"""Base model for tenant data: UUID ids (never guessable or colliding across
tenants) and timestamps."""

import uuid

from django.db import models


class TenantModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
