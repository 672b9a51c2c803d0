from django import forms
from django.conf import settings

from core.filetypes import DOCUMENT_TYPES_DESCRIPTION
from core.forms import GovUKForm
from core.uploads import check_upload
from core.versioned_forms import VersionedFormMixin
from documents.constants import DocumentKind


def _file_hint() -> str:
    megabytes = settings.UPLOAD_MAX_FILE_SIZE / (1024 * 1024)
    return f"It must be {DOCUMENT_TYPES_DESCRIPTION}, smaller than {megabytes:g} MB."


class DocumentUploadForm(GovUKForm):
    submit_label = "Upload document"
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select a file",
            # Django's wording for a zero-byte upload.
            "empty": "The selected file is empty",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What a reader of the contract's documents sees, for example "
        "Signed contract, or Variation letter: uplift from April 2026.",
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of document it is"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_hint()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Kept for the service, which would otherwise read the file again.
        self.cleaned_data["checked"] = check_upload(upload)
        return upload


class DocumentWithdrawForm(VersionedFormMixin, GovUKForm):
    submit_label = "Withdraw document"
    warning_button = True
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        help_text="For example, the wrong file was uploaded. The file is kept, "
        "with who downloaded it, for audit.",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for withdrawing the document"},
    )
