from django import forms
from django.conf import settings

from core import filetypes
from core.forms import GovUKForm
from core.uploads import check_upload

# A register comes as CSV or as an Excel workbook; the content must match.
IMPORT_TYPES = {ext: filetypes.DOCUMENT_TYPES[ext] for ext in ("csv", "xlsx")}
WRONG_TYPE = "The selected file must be a CSV or an Excel workbook (.xlsx)"


class RegisterUploadForm(GovUKForm):
    submit_label = "Upload and check"
    file = forms.FileField(
        label="Upload the register",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.UPLOAD_MAX_FILE_SIZE / (1024 * 1024)
        self.fields[
            "file"
        ].help_text = (
            f"A CSV or Excel workbook (.xlsx), smaller than {megabytes:g} MB, with a header row."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["checked"] = check_upload(upload, types=IMPORT_TYPES)
        except forms.ValidationError as exc:
            if exc.code == "file_type":
                raise forms.ValidationError(WRONG_TYPE, code="file_type") from exc
            raise
        return upload
