from django.conf import settings
from django.db import models

from .enums import FileFormat


class Download(models.Model):
    """One download of a list: who, which list, with which filters, how many rows. Written by
    ``services.record_download`` with its audit entry; views of children's data are logged, not
    only changes to it."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    list_name = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    filters = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField()
    file_format = models.CharField(max_length=4, choices=FileFormat.choices)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.title} ({self.get_file_format_display()}, {self.row_count} rows)"
