"""Uploads are limited while they stream in: an oversized bid document is
refused with a message, without the whole body being read or stored."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from procurement.models import Bid, BidDocument
from procurement.services import call_offs
from tests.procurement.conftest import BEFORE

MB = 1024 * 1024
TOO_LARGE = "The selected file must be smaller than 10 MB"


@pytest.fixture
def bid_page(call_off, procurement_officer, client):
    [invitation, *_] = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=BEFORE
    )
    url = reverse("procurement:provider_bid", args=[invitation.token])
    answers = {f"answer_{c.pk}": f"Our answer on {c.name}" for c in call_off.criteria.all()}

    def post(size, **extra):
        document = SimpleUploadedFile("method.pdf", b"%" * size, content_type="application/pdf")
        with time_machine.travel(BEFORE, tick=False):
            return client.post(url, {**answers, "document": document}, **extra)

    return post


def unread_bytes(response) -> int:
    return len(response.wsgi_request.environ["wsgi.input"])


def test_a_60_mb_bid_is_refused_before_its_body_is_read(bid_page):
    response = bid_page(60 * MB)
    assert response.status_code == 413
    assert TOO_LARGE in response.text
    # Not one byte of the body was read.
    assert unread_bytes(response) == int(response.wsgi_request.META["CONTENT_LENGTH"])
    assert not Bid.objects.exists()


def test_a_document_just_over_10_mb_is_named_beside_the_field_and_not_kept(
    bid_page, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    response = bid_page(10 * MB + 1)
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [TOO_LARGE]
    # What the provider typed is kept; the file's bytes were not.
    assert "Our answer on Outcomes" in response.text
    assert list(tmp_path.iterdir()) == []
    assert not Bid.objects.exists()


@override_settings(UPLOAD_MAX_FILE_SIZE=64 * 1024)
@pytest.mark.parametrize(("size", "kept"), [(64 * 1024, True), (64 * 1024 + 1, False)])
def test_the_limit_is_the_files_size_in_bytes(bid_page, size, kept):
    response = bid_page(size)
    assert (response.status_code == 302) is kept
    assert BidDocument.objects.filter(bid__isnull=False).exists() is kept
    if kept:
        assert BidDocument.objects.get().file.size == size
