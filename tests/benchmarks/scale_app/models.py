"""One small tenant table; settings.SCALE_EXTRA_COLUMNS adds nullable integer
columns to it, so raising that number by one makes a one-column migration."""

from django.conf import settings
from django.db import models


class ScaleNote(models.Model):
    title = models.CharField(max_length=100)


for number in range(1, settings.SCALE_EXTRA_COLUMNS + 1):
    ScaleNote.add_to_class(f"extra_{number}", models.IntegerField(null=True, blank=True))
