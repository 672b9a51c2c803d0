from django import template

from documents import selectors

register = template.Library()


@register.simple_tag
def contract_documents_summary(contract):
    """For the section on the contract page: one include line there, and
    the query here, so the contract's own view needs no change."""
    return selectors.contract_documents_summary(contract)


@register.simple_tag
def attached_documents(record):
    """For a contract change, return or failure page:
    {% attached_documents record as documents %}."""
    return selectors.attached_documents(record)


@register.filter
def attachment_label(record):
    return selectors.attachment_label(record)


@register.filter
def file_label(document):
    """PDF, DOCX, CSV: what the download is, for the link's text."""
    _, dot, ext = document.original_filename.rpartition(".")
    return ext.upper() if dot else "File"
