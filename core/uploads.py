"""Uploads are limited while they stream in, never after the whole body is
read (docs/decisions/0015-bad-input-and-upload-limits.md).

Three layers: the proxy in front refuses bodies over its
client_max_body_size; RequestSizeLimitMiddleware refuses a request whose
Content-Length is over UPLOAD_MAX_REQUEST_SIZE before reading any of it;
and LimitedUploadHandler stops keeping a file once it passes
UPLOAD_MAX_FILE_SIZE, so the form can say so beside the field.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

from core import filetypes


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def too_large_message() -> str:
    return f"The selected file must be smaller than {_megabytes(settings.UPLOAD_MAX_FILE_SIZE)}"


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the limit: its name and the bytes
    seen, none of its content. validate_upload_size refuses it."""

    def __init__(self, name, content_type, size):
        super().__init__(file=None, name=name, content_type=content_type, size=size)

    def open(self, mode=None):
        raise ValueError("An oversized upload has no content")


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each chunk on to Django's own
    handlers until the file passes the limit, then drops what they hold and
    discards the rest as it arrives."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        if self.oversized:
            return None
        if start + len(raw_data) > settings.UPLOAD_MAX_FILE_SIZE:
            self.oversized = True
            for handler in self.request.upload_handlers:
                if handler is not self and getattr(handler, "file", None) is not None:
                    # Closing a temporary upload deletes it from disk.
                    handler.file.close()
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, file_size)
        return None


def validate_upload_size(upload) -> None:
    if isinstance(upload, OversizedUpload) or upload.size > settings.UPLOAD_MAX_FILE_SIZE:
        raise ValidationError(too_large_message(), code="file_too_large")


def limit_form_uploads(form) -> None:
    """Every file field of a form refuses a file over the limit, so no form
    can save the stand-in LimitedUploadHandler leaves for one."""
    for field in form.fields.values():
        if isinstance(field, forms.FileField) and validate_upload_size not in field.validators:
            field.validators.append(validate_upload_size)


class RequestSizeLimitMiddleware:
    """Refuses a request that says it is larger than any form here accepts,
    before reading its body. The body is first read by the CSRF check, in
    process_view, which runs only after every middleware's __call__; this
    sits after CSPMiddleware so the page it returns has its nonce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_REQUEST_SIZE:
            return render(
                request,
                "413.html",
                {"message": too_large_message(), "back": request.path},
                status=413,
            )
        return self.get_response(request)


EMPTY_MESSAGE = "The selected file is empty"


def wrong_type_message(description: str = filetypes.DOCUMENT_TYPES_DESCRIPTION) -> str:
    return f"The selected file must be {description}"


def check_upload(upload, *, types=filetypes.DOCUMENT_TYPES) -> filetypes.CheckedFile:
    """An upload's size against the limit, then its content against its
    extension (core/filetypes.py): what a form's clean method calls for a
    file it will keep. Raises ValidationError with the GOV.UK wording."""
    validate_upload_size(upload)
    try:
        return filetypes.check_file(upload.name, upload, types=types)
    except filetypes.FileRefused as exc:
        if exc.reason == "empty":
            raise ValidationError(EMPTY_MESSAGE, code="file_empty") from exc
        raise ValidationError(wrong_type_message(), code="file_type") from exc
