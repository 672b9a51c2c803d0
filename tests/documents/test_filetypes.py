"""core.filetypes: a file is taken only when its content is what its name
says, and it is offered for download under a name that is safe."""

import hashlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.filetypes import FileRefused, check_file, safe_filename
from tests.documents import samples

ACCEPTED = [
    ("report.pdf", samples.PDF, "application/pdf"),
    ("letter.doc", samples.OLE, "application/msword"),
    ("figures.xls", samples.OLE, "application/vnd.ms-excel"),
    (
        "letter.docx",
        samples.DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "figures.XLSX",
        samples.XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("letter.odt", samples.ODT, "application/vnd.oasis.opendocument.text"),
    ("figures.ods", samples.ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    ("letter.rtf", samples.RTF, "application/rtf"),
    ("notes.txt", b"Visit on 3 May: all well.\r\n\tSigned\n", "text/plain"),
    ("returns.csv", "kpi,actual\nCare hours,£1,204\n".encode(), "text/csv"),
    # Excel on Windows writes CSV in Windows-1252: £ is one byte, not UTF-8.
    ("returns.csv", "kpi,actual\nCare hours,£1,204\n".encode("cp1252"), "text/csv"),
    ("photo.jpg", samples.JPEG, "image/jpeg"),
    ("photo.jpeg", samples.JPEG, "image/jpeg"),
    ("chart.png", samples.PNG, "image/png"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_a_file_whose_content_is_what_its_name_says_is_taken(name, content, content_type):
    stream = io.BytesIO(content)
    checked = check_file(name, stream)
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert stream.tell() == 0


DISGUISED = [
    ("evidence.pdf", samples.EXE),
    ("evidence.pdf", samples.HTML),
    ("evidence.png", samples.HTML),
    ("letter.docx", samples.PDF),
    ("letter.docx", samples.XLSX),
    ("letter.docx", samples.zipped({"payload.exe": samples.EXE})),
    # A macro-enabled document renamed: Word would run what it holds.
    ("letter.docx", samples.DOCM),
    ("letter.odt", samples.ODS),
    ("letter.doc", samples.DOCX),
    ("notes.txt", samples.EXE),
    ("notes.txt", b"text then a NUL \x00 byte"),
    ("notes.txt", b"\x1b[31m escape codes"),
    ("notes.csv", samples.PDF[:5] + b"\x81\x8d\xff\xfe"),
    ("program.exe", samples.EXE),
    ("page.html", samples.HTML),
    ("no-extension", samples.PDF),
    ("letter.docx", b"PK\x03\x04 not really a zip"),
]


@pytest.mark.parametrize(("name", "content"), DISGUISED)
def test_a_file_disguised_by_its_extension_is_refused(name, content):
    with pytest.raises(FileRefused) as refused:
        check_file(name, io.BytesIO(content))
    assert refused.value.reason == "type"


def test_an_empty_file_is_refused_as_empty():
    with pytest.raises(FileRefused) as refused:
        check_file("report.pdf", io.BytesIO(b""))
    assert refused.value.reason == "empty"


def test_a_text_file_is_checked_to_its_end_not_only_its_start():
    content = b"a" * (200 * 1024) + b"\x00"
    with pytest.raises(FileRefused):
        check_file("notes.txt", io.BytesIO(content))


def test_utf8_split_across_read_chunks_is_still_text():
    from core.filetypes import CHUNK

    content = b"a" * (CHUNK - 1) + "£".encode()  # the £ straddles two reads
    assert check_file("notes.txt", io.BytesIO(content)).size == CHUNK + 1


@pytest.mark.parametrize(
    ("uploaded", "offered"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("C:\\Users\\lisa\\Desktop\\Signed contract.PDF", "Signed contract.pdf"),
        ("..", "document"),
        (".htaccess", "htaccess"),
        ('Variation "final".pdf', "Variation final.pdf"),
        ("letter\r\nSet-Cookie: a=b.pdf", "letter Set-Cookie a=b.pdf"),
        ("evidence\x00.pdf", "evidence.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("report.pdf.", "report.pdf"),
        ("   ", "document"),
        (".pdf", "pdf"),
        ("CON.txt", "CON_.txt"),
        ("Brontë's café review.docx", "Brontë's café review.docx"),
        ("a;b|c<d>e?f*g:h.pdf", "a b c d e f g h.pdf"),
    ],
)
def test_the_download_name_is_made_safe(uploaded, offered):
    assert safe_filename(uploaded) == offered


def test_a_long_name_keeps_its_extension():
    name = safe_filename("x" * 400 + ".docx")
    assert len(name) == 150
    assert name.endswith(".docx")


@given(st.text())
def test_no_uploaded_name_gives_a_download_name_that_could_escape_or_break_a_header(name):
    safe = safe_filename(name)
    assert 0 < len(safe) <= 150
    assert not any(c in safe for c in '/\\"\r\n\x00;')
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in safe)
    assert not safe.startswith((".", " ")) and not safe.endswith((".", " "))
    assert safe_filename(safe) == safe
