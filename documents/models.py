"""Documents kept on a contract: the signed contract, variation letters,
evidence for a monitoring return or a performance failure, correspondence.

A document always belongs to a contract, and whoever may see the contract
may download it. It may also be attached to one record within the contract
(a contract change, a monitoring return, a performance failure) through a
generic relation limited to those models
(docs/decisions/0020-contract-documents.md). Files are stored under a
random name, never the uploaded one; the uploaded name, made safe, is kept
only to offer the download under. Documents are withdrawn, never deleted.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.audit import AuditTrail
from core.concurrency import Versioned
from documents.constants import ATTACHABLE, DocumentKind

ATTACHABLE_TYPES = Q()
for _app_label, _model, _ in ATTACHABLE.values():
    ATTACHABLE_TYPES |= Q(app_label=_app_label, model=_model)


def stored_name(document, filename: str) -> str:
    # The uploaded name never reaches the storage: it could hold a path, a
    # name another file has, or text the storage treats specially.
    return f"documents/{document.contract_id}/{uuid.uuid4().hex}"


class Document(Versioned):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="documents"
    )
    attached_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to=ATTACHABLE_TYPES,
        related_name="+",
    )
    attached_id = models.PositiveBigIntegerField(null=True, blank=True)
    attached_to = GenericForeignKey("attached_type", "attached_id")

    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=stored_name, max_length=255, editable=False)
    original_filename = models.CharField(
        max_length=255, editable=False, help_text="The uploaded name, made safe to download under."
    )
    size = models.PositiveBigIntegerField(editable=False, help_text="In bytes.")
    content_type = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    # Withdrawn rather than deleted: the file and its downloads stay.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True, editable=False)

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "-uploaded_at", "-pk"]
        # Documents are never deleted or edited after upload: no delete or
        # change permission to hand out.
        default_permissions = ("add",)
        permissions = [("withdraw_document", "Can withdraw a document, keeping its file")]
        indexes = [
            models.Index(fields=["contract", "uploaded_at"], name="document_contract_uploaded"),
            models.Index(fields=["attached_type", "attached_id"], name="document_attached"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attached_type__isnull=True, attached_id__isnull=True)
                | Q(attached_type__isnull=False, attached_id__isnull=False),
                name="document_attached_to_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="document_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class DocumentDownload(models.Model):
    """One download of one document: who, when and from which address.
    Append-only: the database refuses to change or delete a row."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField("address", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["document", "at"], name="download_document_at")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.user} downloaded {self.document_id} at {self.at}"
