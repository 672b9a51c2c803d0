"""What a tagged PDF/UA-1 document must carry, read with pikepdf.

veraPDF cannot be installed on our machines (decision 35), so these are its
PDF/UA-1 rules that WeasyPrint's output could break, checked by hand: the
rule numbers are ISO 14289-1's, as veraPDF reports them."""

import io
import itertools
import logging
import subprocess
from contextlib import contextmanager

import pikepdf

# ISO 32000-1 14.8.4 standard structure types: PDF/UA-1 7.1 lets no other
# type through without a RoleMap, and WeasyPrint writes none.
_TYPES = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
STANDARD_TYPES = frozenset(_TYPES.split())
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")


def kids(element) -> list:
    """The structure elements directly below element, in reading order."""
    k = element.get("/K")
    k = k if isinstance(k, pikepdf.Array) else [k]
    return [e for e in k if isinstance(e, pikepdf.Dictionary) and "/S" in e]


def walk(element):
    for kid in kids(element):
        yield kid
        yield from walk(kid)


def kind(element) -> str:
    return str(element.S)[1:]


def children(element, *types) -> list:
    return [e for e in kids(element) if kind(e) in types]


def page_text(data: bytes, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


def _fonts(pdf):
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for name in fonts:
            font = fonts[name]
            yield name, font.DescendantFonts[0] if "/DescendantFonts" in font else font


def assert_pdf_ua_1(data: bytes, *, header: str, lang: str = "en-GB") -> None:
    """Fails unless data is a tagged PDF/UA-1 document whose tables each
    start with a row of header cells, which (header being one of them) a
    reader sees again at the top of every page the table runs onto.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert root.get("/MarkInfo", {}).get("/Marked") is True, "not a tagged PDF (6.2-1)"
    found = str(root.get("/Lang", ""))
    assert found == lang, f"language {found!r}, not {lang} (7.2-34)"
    prefs = root.get("/ViewerPreferences", {})
    assert prefs.get("/DisplayDocTitle") is True, "title not shown as window title (7.1-10)"
    title = str(pdf.docinfo.get("/Title", ""))
    xmp = pdf.open_metadata()
    assert title.strip() and xmp.get("dc:title") == title, "no title (7.1-9)"
    assert xmp.get("pdfuaid:part") == "1", "no PDF/UA identification (5-1)"

    assert "/StructTreeRoot" in root, "no structure tree (7.1-11)"
    elements = list(walk(root.StructTreeRoot))
    types = [kind(e) for e in elements]
    assert set(types) <= STANDARD_TYPES, set(types) - STANDARD_TYPES
    headings = [int(t[1]) for t in types if t in HEADINGS]
    # One H1, first; no level skipped on the way down (7.4.2-1).
    assert headings and headings[0] == 1 and headings.count(1) == 1, f"not one H1 first: {headings}"
    skipped = any(b > a + 1 for a, b in itertools.pairwise(headings))
    assert not skipped, f"a heading level skipped: {headings}"
    for figure in (e for e in elements if e.S == "/Figure"):
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text (7.3-1)"

    tables = [e for e in elements if e.S == "/Table"]
    assert tables, "no table"
    assert types.index("H1") < types.index("Table"), "the heading is read after the table"
    page_numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    for n, table in enumerate(tables):
        # WeasyPrint tags each page's part of a long table as a table of its
        # own, each with the repeated header row; only the first part has
        # the caption, the others begin their page.
        first_on_page = elements.index(table) == min(
            elements.index(e) for e in elements if e.get("/Pg") == table.Pg
        )
        assert children(table, "Caption") or (n and first_on_page), "a table without a caption"
        head = children(table, "THead")
        assert head, "a table without a header row group"
        first_row = children(head[0], "TR")[0]
        cells = children(first_row, "TH", "TD")
        kinds = [kind(c) for c in cells]
        assert cells and set(kinds) == {"TH"}, f"the first row holds {kinds}, not header cells"
        # 7.5-1: header cells and data cells are tied by Headers and IDs.
        ids = {str(c.ID) for c in walk(table) if c.S == "/TH"}
        for cell in (c for c in walk(table) if c.S == "/TD"):
            tied = {str(h) for h in cell.get("/A", {}).get("/Headers", [])}
            assert tied and tied <= ids, "a data cell tied to no header cell"
        number = page_numbers[table.Pg.objgen]
        assert header in page_text(data, number), f"page {number} shows no header row"

    for page in pdf.pages:
        assert page.obj.get("/Tabs") == "/S", "tab order is not the structure's (7.18.3-1)"
    for name, font in _fonts(pdf):
        if font.Subtype != "/Type3":
            embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(font.FontDescriptor.keys())
            assert embedded, f"font {name} is not embedded (7.21.4.1-1)"


@contextmanager
def weasyprint_errors():
    """What WeasyPrint logs as an error while tagging (an image without alt,
    a document without lang) still writes a PDF: collect it to fail on."""
    records = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
