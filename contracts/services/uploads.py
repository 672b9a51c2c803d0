"""The register imported in the browser: an upload is checked and
previewed, kept on the server, and imported when its uploader confirms,
all or nothing and once, by the service `import_register` uses
(contracts.imports.register_csv_import)."""

import io

from django.db import transaction
from django.utils import timezone

from contracts import register_xlsx
from contracts.imports import ImportResult, register_csv_import, register_csv_preview
from contracts.models import RegisterUpload
from contracts.register_csv import RegisterImportError
from contracts.services.register import ContractError

NOT_TEXT = "The file is not text in UTF-8 or Windows-1252: save it from Excel as CSV (UTF-8)"


def _counts(result: ImportResult) -> dict[str, int]:
    return {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
        "providers_created": len(result.providers_created),
    }


def _as_csv(extension: str, content: bytes) -> str:
    if extension == "xlsx":
        return register_xlsx.xlsx_to_csv(io.BytesIO(content))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegisterImportError([NOT_TEXT])


@transaction.atomic
def register_upload_create(
    *, by, filename: str, extension: str, content: bytes, sha256: str
) -> RegisterUpload:
    """Keep the file (as CSV text) and what importing it would do: every
    problem by row and column, or the counts. Nothing is imported."""
    # An officer who uploads again has moved on from the files they did
    # not import; the ones they imported stay as the record of it.
    RegisterUpload.objects.filter(uploaded_by=by, imported_at=None).delete()
    upload = RegisterUpload(uploaded_by=by, filename=filename[:255], sha256=sha256, text="")
    try:
        upload.text = _as_csv(extension, content)
        upload.preview = _counts(register_csv_preview(text=upload.text, by=by))
    except RegisterImportError as exc:
        upload.problems = exc.problems
    upload.save()
    return upload


@transaction.atomic
def register_upload_confirm(*, upload: RegisterUpload, by, sha256: str) -> RegisterUpload:
    """Import the stored file, once. `sha256` is the one the preview page
    showed, so a confirmation can only import the file that was previewed.
    If the register has changed since the preview so that a row no longer
    goes in, nothing is imported and the upload keeps the new problems."""
    upload = RegisterUpload.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.imported_at is not None:
        raise ContractError(
            f"This file was already imported at {timezone.localtime(upload.imported_at):%H:%M} "
            f"on {timezone.localtime(upload.imported_at):%-d %B %Y}: nothing was imported again."
        )
    if upload.problems:
        raise ContractError("Fix the problems in the file and upload it again.")
    if sha256 != upload.sha256:
        raise ContractError("This is not the file you previewed. Upload it again.")
    try:
        # A savepoint: the import is undone whole, the problems are kept.
        with transaction.atomic():
            result = register_csv_import(text=upload.text, by=by)
    except RegisterImportError as exc:
        upload.problems = exc.problems
        upload.save(update_fields=["problems"])
        return upload
    upload.imported_at = timezone.now()
    upload.result = _counts(result)
    upload.save(update_fields=["imported_at", "result"])
    return upload
