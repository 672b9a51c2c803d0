"""Importing the register in the browser: upload, preview, confirm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from contracts.forms_import import RegisterUploadForm
from contracts.models import RegisterUpload
from contracts.register_csv import problem_parts
from contracts.services.register import ContractError
from contracts.services.uploads import register_upload_confirm, register_upload_create
from core.permissions import PermissionRequired
from core.service_views import ServiceFormView

IMPORT = "contracts.import_register"


class RegisterUploadView(ServiceFormView):
    permission_required = IMPORT
    form_class = RegisterUploadForm
    template_name = "contracts/import_upload.html"

    def form_valid(self, form):
        # No banner: the preview page says what was found.
        upload = form.cleaned_data["file"]
        upload.seek(0)
        stored = register_upload_create(
            by=self.request.user,
            filename=upload.name,
            extension=form.cleaned_data["checked"].extension,
            content=upload.read(),
            sha256=form.cleaned_data["checked"].sha256,
        )
        return redirect(stored.get_absolute_url())


class RegisterPreviewView(PermissionRequired, TemplateView):
    """The uploader's own file only: anyone else's is not found."""

    permission_required = IMPORT
    template_name = "contracts/import_preview.html"

    def load_objects(self):
        self.upload = get_object_or_404(
            RegisterUpload.objects.defer("text"),
            pk=self.kwargs["pk"],
            uploaded_by=self.request.user,
        )

    def get_context_data(self, **kwargs):
        upload = self.upload
        return super().get_context_data(
            upload=upload,
            problems=[problem_parts(p) for p in upload.problems],
            counts=upload.result if upload.imported_at else upload.preview,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            upload = register_upload_confirm(
                upload=self.upload, by=request.user, sha256=request.POST.get("sha256", "")
            )
        except ContractError as exc:
            messages.error(request, str(exc))
            return redirect(self.upload.get_absolute_url())
        if upload.problems:
            # The register changed since the preview: the page lists why.
            return redirect(upload.get_absolute_url())
        counts = upload.result
        messages.success(
            request,
            f"{upload.filename} imported: {counts['created']} contracts added, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged; "
            f"{counts['providers_created']} providers added",
        )
        return redirect("contracts:list")
