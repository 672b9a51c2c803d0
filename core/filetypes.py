"""What an uploaded document may be, judged by its content as well as its
name, and the name it may be downloaded under. Plain Python, no Django.

A file's extension is only a claim: "evidence.pdf" may be a program or a
web page. A file is accepted when its extension is one we take AND its
content is that format: its first bytes, and for the zip-based Word, Excel
and OpenDocument formats the parts inside the zip. Text must be text: no
NUL or other control bytes, in UTF-8 or Windows-1252 (what Excel and
Notepad write).
"""

import codecs
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 64 * 1024

PDF = "pdf"
OLE = "ole"  # Word 97-2003 and Excel 97-2003
WORD = "word"
EXCEL = "excel"
ODF_TEXT = "odf_text"
ODF_SPREADSHEET = "odf_spreadsheet"
RTF = "rtf"
TEXT = "text"
JPEG = "jpeg"
PNG = "png"

# extension: (format, the content type it is served as)
DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    "pdf": (PDF, "application/pdf"),
    "doc": (OLE, "application/msword"),
    "docx": (WORD, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xls": (OLE, "application/vnd.ms-excel"),
    "xlsx": (EXCEL, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (ODF_TEXT, "application/vnd.oasis.opendocument.text"),
    "ods": (ODF_SPREADSHEET, "application/vnd.oasis.opendocument.spreadsheet"),
    "rtf": (RTF, "application/rtf"),
    "txt": (TEXT, "text/plain"),
    "csv": (TEXT, "text/csv"),
    "jpg": (JPEG, "image/jpeg"),
    "jpeg": (JPEG, "image/jpeg"),
    "png": (PNG, "image/png"),
}
DOCUMENT_TYPES_DESCRIPTION = "a PDF, Word, Excel, OpenDocument, RTF, text, CSV, JPG or PNG file"

_MAGIC = {
    PDF: b"%PDF-",
    OLE: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    RTF: b"{\\rtf",
    JPEG: b"\xff\xd8\xff",
    PNG: b"\x89PNG\r\n\x1a\n",
    WORD: b"PK\x03\x04",
    EXCEL: b"PK\x03\x04",
    ODF_TEXT: b"PK\x03\x04",
    ODF_SPREADSHEET: b"PK\x03\x04",
}
# The part every Office Open XML package has, and the main part of each kind.
# A macro project inside means it is really a .docm or .xlsm renamed.
_OOXML_PARTS = {WORD: "word/document.xml", EXCEL: "xl/workbook.xml"}
_MACROS = re.compile(r"(^|/)vbaProject\.bin$", re.IGNORECASE)
_ODF_MIMETYPES = {
    ODF_TEXT: b"application/vnd.oasis.opendocument.text",
    ODF_SPREADSHEET: b"application/vnd.oasis.opendocument.spreadsheet",
}
# Control bytes no text file holds (tab, line feed, form feed and carriage
# return are text), and the five bytes Windows-1252 leaves undefined.
_NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class FileRefused(Exception):
    """`reason` is "empty" or "type"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def check_file(name: str, stream: BinaryIO, *, types=DOCUMENT_TYPES) -> CheckedFile:
    """The file's type, size and SHA-256, read in one pass; FileRefused if
    it is empty or its content is not what its extension says. `stream`
    must be seekable; it is left at its start."""
    ext = extension(name)
    if ext not in types:
        raise FileRefused("type")
    kind, content_type = types[ext]
    stream.seek(0)
    digest, size, head = hashlib.sha256(), 0, b""
    utf8, is_text, cp1252 = codecs.getincrementaldecoder("utf-8")(), True, True
    while chunk := stream.read(CHUNK):
        if size == 0:
            head = chunk[:16]
        digest.update(chunk)
        size += len(chunk)
        if kind == TEXT and is_text:
            is_text = not _NOT_TEXT.search(chunk)
            cp1252 = cp1252 and not _NOT_CP1252.search(chunk)
            if utf8 is not None:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = None
    if size == 0:
        raise FileRefused("empty")
    if kind == TEXT:
        valid_utf8 = utf8 is not None and _utf8_ends_cleanly(utf8)
        ok = is_text and (valid_utf8 or cp1252)
    else:
        ok = head.startswith(_MAGIC[kind]) and _inside_is(kind, stream)
    stream.seek(0)
    if not ok:
        raise FileRefused("type")
    return CheckedFile(ext, content_type, size, digest.hexdigest())


def _utf8_ends_cleanly(decoder) -> bool:
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _inside_is(kind: str, stream: BinaryIO) -> bool:
    if kind not in _OOXML_PARTS and kind not in _ODF_MIMETYPES:
        return True
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            names = package.namelist()
            if kind in _OOXML_PARTS:
                return (
                    "[Content_Types].xml" in names
                    and _OOXML_PARTS[kind] in names
                    and not any(_MACROS.search(n) for n in names)
                )
            # OpenDocument: the first part is "mimetype", saying which kind.
            if not names or names[0] != "mimetype":
                return False
            with package.open("mimetype") as part:
                return part.read(100).strip() == _ODF_MIMETYPES[kind]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        return False


# Control characters (a newline would split the Content-Disposition
# header), quotation marks and backslashes (which end or escape its quoted
# filename), path separators and the characters Windows refuses in names.
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f"\\/:*?<>|;]')
# Right-to-left overrides and isolates turn "invoice\u202efdp.exe" into
# what looks like "invoiceexe.pdf".
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10))} | {
    f"LPT{n}" for n in range(1, 10)
}
FALLBACK_STEM = "document"


def safe_filename(name: str, *, max_length: int = 150) -> str:
    """The name a document is offered for download under: the uploaded
    name's last part, without anything that could reach outside the
    download folder, break the header it travels in or disguise its type."""
    name = unicodedata.normalize("NFC", name)
    # Old browsers sent the whole Windows path; only its last part is a name.
    name = re.split(r"[\\/]", name)[-1]
    name = _BIDI_CONTROLS.sub("", name)
    name = _UNSAFE_CHARACTERS.sub(" ", name)
    # Leading dots would make ".." or a hidden file; Windows drops trailing ones.
    name = " ".join(name.split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem, ext = stem.rstrip(" ."), ext.strip().lower()[:10]
    if ext and not stem:
        stem = FALLBACK_STEM
    stem = stem or FALLBACK_STEM
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"{stem}_"
    room = max_length - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{ext}" if ext else stem
