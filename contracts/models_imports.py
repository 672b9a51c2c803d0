"""A register file uploaded in the browser, kept between its preview and
the officer's confirmation (docs/decisions/0031-budget-lines-and-register-uploads.md)."""

from django.conf import settings
from django.db import models


class RegisterUpload(models.Model):
    """The file's rows as CSV text, whatever its format, with what the
    preview found. Confirming imports this stored text, never anything the
    browser sends back, and only once (imported_at)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file as uploaded", max_length=64)
    text = models.TextField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Each problem as "Row 3, start_date: is blank" (contracts.register_csv).
    problems = models.JSONField(default=list, blank=True)
    # How many contracts the import would add, update and leave unchanged,
    # and how many providers it would add.
    preview = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("contracts:import_preview", args=[self.pk])
