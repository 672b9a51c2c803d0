"""Adding, withdrawing and downloading a contract's documents."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from core import concurrency, filetypes
from core.errors import ServiceError
from documents.constants import ATTACHABLE
from documents.models import Document, DocumentDownload


class DocumentError(ServiceError):
    """A change to a contract's documents that is refused."""


def attachable_type(name: str) -> ContentType | None:
    """The content type ?for=<name>:… names, or None if there is no such
    model (yet): the contract change model may not be installed."""
    try:
        app_label, model, _ = ATTACHABLE[name]
    except KeyError:
        return None
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None
    return content_type if content_type.model_class() is not None else None


def attachment_check(*, contract, attached_to) -> None:
    """A document may be attached only to a record of the kinds allowed,
    and only one of its own contract's: its visibility follows the
    contract, so evidence for another contract's failure must not be shown
    here."""
    if attached_to is None:
        return
    meta = attached_to._meta
    allowed = {(app_label, model) for app_label, model, _ in ATTACHABLE.values()}
    if (meta.app_label, meta.model_name) not in allowed:
        raise DocumentError(f"A document cannot be attached to a {meta.verbose_name}.")
    if attached_to.contract_id != contract.pk:
        raise DocumentError(
            f"That {meta.verbose_name} belongs to another contract: "
            "attach the document to one of this contract's records."
        )


def document_upload(
    *, contract, by, upload, kind: str, title: str, attached_to=None, checked=None
) -> Document:
    """Keep an uploaded file on the contract. `checked` is what
    core.uploads.check_upload found (forms have checked it already); the
    file is checked here otherwise, so no caller can keep an unchecked one."""
    attachment_check(contract=contract, attached_to=attached_to)
    filename = filetypes.safe_filename(upload.name)
    if checked is None:
        try:
            checked = filetypes.check_file(filename, upload)
        except filetypes.FileRefused as exc:
            raise DocumentError(f"The file was refused ({exc.reason}).", field="file") from exc
    title = title.strip()
    if not title:
        raise DocumentError("Enter a title for the document", field="title")
    document = Document(
        contract=contract,
        attached_to=attached_to,
        kind=kind,
        title=title,
        original_filename=filename,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    # The file is written first (storage is not transactional); if the
    # row then cannot be written, the file is removed again.
    document.file.save("upload", upload, save=False)
    try:
        with transaction.atomic():
            document._history_user = by
            document._change_reason = "Document added"
            document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_withdraw(*, document: Document, by, reason: str, version: int | None) -> Document:
    """Take a document off the contract's list. The file and its download
    log are kept: no data is ever lost (decision 0020)."""
    document = concurrency.lock(Document.objects.all(), pk=document.pk, version=version)
    if document.is_withdrawn:
        raise DocumentError("This document has already been withdrawn.")
    reason = reason.strip()
    if not reason:
        raise DocumentError("Give the reason for withdrawing the document", field="reason")
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = by
    document.withdrawal_reason = reason
    document._history_user = by
    document._change_reason = f"Withdrawn: {reason}"[:100]
    concurrency.save_next_version(document)
    return document


def download_record(*, document: Document, by, ip_address: str | None) -> DocumentDownload:
    return DocumentDownload.objects.create(document=document, user=by, ip_address=ip_address)


def attached_object(contract, name: str, pk: int):
    """The record ?for=<name>:<pk> names within the contract, or None."""
    content_type = attachable_type(name)
    if content_type is None:
        return None
    try:
        return content_type.get_object_for_this_type(pk=pk, contract=contract)
    except ObjectDoesNotExist:
        return None
