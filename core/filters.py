"""Filters shared by module FilterSets."""

from datetime import timezone as dt_timezone

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class UtcIsoDateTimeField(forms.DateTimeField):
    """An ISO 8601 date-time, normalised to UTC before it reaches the database
    (PostgreSQL refuses offsets of 16 hours or more, which ISO allows)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(dt_timezone.utc)
        except OverflowError as exc:
            raise forms.ValidationError(_("Enter a date and time between the years 1 and 9999.")) from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
