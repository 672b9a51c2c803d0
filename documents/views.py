"""A contract's documents: upload, list, download (as a file, never shown
in the browser, and logged), withdraw, and the download log."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView, View

from contracts.models import Contract
from core.lockout import client_ip
from core.permissions import PermissionRequired
from core.service_views import ServiceFormView
from documents import selectors, services
from documents.forms import DocumentUploadForm, DocumentWithdrawForm
from documents.models import Document

VIEW = "contracts.view_contract"
ADD = "documents.add_document"
WITHDRAW = "documents.withdraw_document"


class _ContractMixin:
    def load_objects(self):
        self.contract = get_object_or_404(Contract, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.contract, **kwargs)


class _DocumentMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        try:
            self.document = selectors.contract_document(self.contract, self.kwargs["doc_pk"])
        except Document.DoesNotExist as exc:
            raise Http404("No such document") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.document, **kwargs)


def documents_url(contract) -> str:
    return reverse("documents:list", args=[contract.pk])


class DocumentListView(_ContractMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "documents/document_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            documents=selectors.contract_documents(self.contract),
            may_see_downloads=selectors.may_see_downloads(self.request.user, self.contract),
            **kwargs,
        )


class DocumentUploadView(_ContractMixin, ServiceFormView):
    permission_required = ADD
    form_class = DocumentUploadForm
    template_name = "documents/document_upload.html"

    def load_objects(self):
        super().load_objects()
        self.attached_to = None
        target = self.request.GET.get("for")
        if target:
            # ?for=return:12 — a record of this contract, or nothing at all.
            name, _, pk = target.partition(":")
            if not pk.isdigit():
                raise Http404("No such record")
            self.attached_to = services.attached_object(self.contract, name, int(pk))
            if self.attached_to is None:
                raise Http404("No such record")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attached_to=self.attached_to,
            attached_label=selectors.attachment_label(self.attached_to),
            **kwargs,
        )

    def perform(self, data):
        return services.document_upload(
            contract=self.contract,
            by=self.request.user,
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
            attached_to=self.attached_to,
            checked=data["checked"],
        )

    def success_message(self, document):
        return f"{document.title} uploaded"

    def success_url_for(self, document):
        return documents_url(self.contract)


class DocumentDownloadView(_DocumentMixin, PermissionRequired, View):
    """The file, as an attachment only: a PDF or an image is never shown
    in the service's own pages, where a crafted one could run script."""

    permission_required = VIEW

    def get(self, request, *args, **kwargs):
        document, user = self.document, request.user
        if document.is_withdrawn and not selectors.may_see_downloads(user, self.contract):
            # Withdrawn, perhaps because it was the wrong file: kept for
            # audit, not handed out.
            raise Http404("No such document")
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The file is missing") from exc
        services.download_record(document=document, by=user, ip_address=client_ip(request))
        # Streamed a block at a time by FileResponse, never read whole.
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_filename,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentWithdrawView(_DocumentMixin, ServiceFormView):
    permission_required = WITHDRAW
    form_class = DocumentWithdrawForm
    template_name = "documents/document_withdraw.html"

    def load_objects(self):
        super().load_objects()
        if self.document.is_withdrawn:
            raise Http404("This document has already been withdrawn")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.document.version}

    def perform(self, data):
        return services.document_withdraw(
            document=self.document,
            by=self.request.user,
            reason=data["reason"],
            version=data.get("version"),
        )

    def success_message(self, document):
        return f"{document.title} withdrawn: the file is kept for audit"

    def success_url_for(self, document):
        return documents_url(self.contract)


class DownloadLogView(_ContractMixin, PermissionRequired, ListView):
    """Who downloaded the contract's documents: for administrators and
    auditors, the contract's owner and its service area's managers."""

    template_name = "documents/download_log.html"
    context_object_name = "downloads"
    paginate_by = 50

    def has_permission(self):
        # Decided for the role before the contract is looked up, so others
        # cannot tell which contracts exist (core.permissions).
        user = self.request.user
        return user.has_perm(VIEW) and selectors.may_see_any_downloads(user)

    def load_objects(self):
        super().load_objects()
        if not selectors.may_see_downloads(self.request.user, self.contract):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.contract_downloads(self.contract)
