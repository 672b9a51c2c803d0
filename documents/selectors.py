"""Reading a contract's documents and their download log, with a query
count that does not grow with the number of documents."""

from django.db.models import Count, Max, QuerySet, prefetch_related_objects

from contracts.models import Contract, ServiceAreaSettings
from documents.models import Document, DocumentDownload

SEE_DOWNLOADS = "documents.view_documentdownload"


def _documents() -> QuerySet[Document]:
    # Attached records come in one query per kind of record, however many.
    return Document.objects.select_related("uploaded_by", "withdrawn_by").prefetch_related(
        "attached_to"
    )


def contract_documents(contract: Contract) -> list[Document]:
    """The contract's documents, withdrawn ones included, newest first."""
    # Ordered here, not by the model's ordering: that starts with the
    # contract, a join to every contract's ordering for one contract's rows.
    found = list(
        _documents()
        .filter(contract_id=contract.pk)
        .order_by("-uploaded_at", "-pk")
        .prefetch_related(None)
    )
    # What each is attached to, in one query per kind of record; most are
    # attached to the contract itself, and then nothing more is read.
    if any(d.attached_type_id for d in found):
        prefetch_related_objects(found, "attached_to")
    return found


def contract_documents_summary(contract: Contract) -> dict:
    """How many current documents the contract has and when the latest came,
    for the contract page, in one query: the list is on the documents page."""
    return Document.objects.filter(contract_id=contract.pk, withdrawn_at__isnull=True).aggregate(
        count=Count("pk"), latest=Max("uploaded_at")
    )


def attached_documents(record) -> list[Document]:
    """The documents attached to one contract change, return or failure."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(record)
    return list(
        _documents().filter(
            contract_id=record.contract_id,
            attached_type=content_type,
            attached_id=record.pk,
            withdrawn_at__isnull=True,
        )
    )


def contract_document(contract: Contract, pk: int) -> Document:
    return Document.objects.select_related("contract").get(contract=contract, pk=pk)


def may_see_any_downloads(user) -> bool:
    """Whether the user may see some contract's download log: administrators
    and auditors see every one; a contract's owner and its service area's
    managers see theirs."""
    if user.has_perm(SEE_DOWNLOADS):
        return True
    return (
        Contract.objects.filter(owner=user).exists()
        or ServiceAreaSettings.objects.filter(managers=user).exists()
    )


def may_see_downloads(user, contract: Contract) -> bool:
    if user.has_perm(SEE_DOWNLOADS) or contract.owner_id == user.pk:
        return True
    return ServiceAreaSettings.objects.filter(
        service_area=contract.service_area, managers=user
    ).exists()


def contract_downloads(contract: Contract) -> QuerySet[DocumentDownload]:
    return DocumentDownload.objects.filter(document__contract=contract).select_related(
        "user", "document"
    )


def attachment_label(record) -> str:
    """What a document is attached to, in words, from the record's own
    fields only (its __str__ may read the contract again)."""
    if record is None:
        return ""
    model = record._meta.model_name
    if model == "monitoringreturn":
        start, end = record.period_start, record.period_end
        return f"Monitoring return, {start:%-d %b %Y} to {end:%-d %b %Y}"
    if model == "performancefailure":
        return f"Performance failure from {record.started_on:%-d %b %Y}"
    # A contract change: its effective date, if the model names it so.
    name = record._meta.verbose_name
    name = f"{name[:1].upper()}{name[1:]}"
    for field in ("effective_from", "effective_date", "effective_on"):
        if getattr(record, field, None):
            return f"{name} from {getattr(record, field):%-d %b %Y}"
    return f"{name} {record.pk}"
