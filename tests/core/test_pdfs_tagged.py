"""Every PDF the service makes is a tagged PDF/UA-1 document (issue 14,
decision 35): cabinet summaries are published on council websites and
letters go to bidders, so a screen reader must find the headings, the table
and its header cells, the language and the title.

Each PDF is made through its real view or service, never from a copy of
its template. veraPDF cannot be installed here (decision 35 says why), so
its machine-checkable PDF/UA-1 rules that bite WeasyPrint's output are
checked with pikepdf instead. A PDF added without a line in PDFS fails
test_every_pdf_the_service_makes_is_listed_here."""

import ast
import functools
import io
import itertools
import logging
import subprocess
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from django.core.management import call_command
from django.test.signals import template_rendered
from django.urls import reverse

from core.roles import Role
from procurement.services import award
from tests.conftest import ROOT
from tests.factories import ContractFactory
from tests.procurement.conftest import (  # noqa: F401
    admitted,
    approver,
    award_answers,
    call_off,
    commissioning_officer,
    evaluators,
    lot,
    pdps,
    procurement_officer,
)
from tests.procurement.test_award import approved, bids  # noqa: F401

# ISO 32000-1 14.8.4 standard structure types: PDF/UA-1 7.1 lets no other
# type through without a RoleMap, and WeasyPrint writes none.
_TYPES = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
STANDARD_TYPES = frozenset(_TYPES.split())


@pytest.fixture
def awarded(call_off, approved, procurement_officer, commissioning_officer):  # noqa: F811
    award.call_off_award(
        call_off=call_off, by=procurement_officer, **award_answers(commissioning_officer)
    )
    return call_off, approved


def _cabinet_summary(request, client_as):
    request.getfixturevalue("settings").DEBUG = True  # load_demo_data refuses otherwise
    call_command("load_demo_data", stdout=io.StringIO())
    officer = client_as(Role.FINANCE_OFFICER)
    return _pdf(officer.get(reverse("finance:cabinet_summary", args=["ilss-2019", "pdf"])))


def _contracts_report(request, client_as):
    # Enough rows for a second page, where the header row must repeat.
    for n in range(30):
        ContractFactory(
            service_area="home_care", start_date=date(2026, 1, 1), term="3", annual_value=1000 + n
        )
    officer = client_as(Role.FINANCE_OFFICER)
    with request.getfixturevalue("django_capture_on_commit_callbacks")(execute=True):
        officer.post(
            reverse("finance:report_create"),
            {"service_area": "home_care", "title": "Home care contracts"},
        )
    from finance.models import CabinetReport

    report = CabinetReport.objects.get()
    download = officer.get(reverse("finance:report_download", args=[report.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def _results(request, client_as):
    awarded_call_off, _ = request.getfixturevalue("awarded")
    auditor = client_as(Role.AUDITOR)
    return _pdf(auditor.get(reverse("procurement:results_pdf", args=[awarded_call_off.pk])))


def _letter(successful: bool):
    def make(request, client_as):
        awarded_call_off, its_bids = request.getfixturevalue("awarded")
        bid = its_bids["B"] if successful else its_bids["A"]  # Provider B Ltd wins
        url = reverse("procurement:award_letter", args=[awarded_call_off.pk, bid.pk])
        return _pdf(client_as(Role.PROCUREMENT_OFFICER).get(url))

    return make


# Each PDF, the template it is drawn from and the code that calls render_pdf.
PDFS = {
    "cabinet summary": (
        _cabinet_summary,
        "finance/cabinet_summary_pdf.html",
        "finance/reports.py:_render_pdf",
    ),
    "cabinet report of contracts": (
        _contracts_report,
        "finance/contracts_pdf.html",
        "finance/reports.py:contracts_pdf",
    ),
    "evaluation results": (
        _results,
        "procurement/results_pdf.html",
        "procurement/views/call_offs.py:ResultsPdfView.get",
    ),
    "award letter": (
        _letter(successful=True),
        "procurement/letter_pdf.html",
        "procurement/letters.py:letter_pdf",
    ),
    "unsuccessful-bidder letter": (
        _letter(successful=False),
        "procurement/letter_pdf.html",
        "procurement/letters.py:letter_pdf",
    ),
}


def _pdf(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response.content


@contextmanager
def _weasyprint_errors():
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


@contextmanager
def _templates_rendered():
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    try:
        yield names
    finally:
        template_rendered.disconnect(record)


def _walk(element):
    """The structure elements below element, in reading order."""
    kids = element.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _walk(kid)


def _children(element, *types):
    return [e for e in _walk_shallow(element) if str(e.S)[1:] in types]


def _walk_shallow(element):
    kids = element.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _fonts(pdf):
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for name in fonts:
            font = fonts[name]
            yield name, font.DescendantFonts[0] if "/DescendantFonts" in font else font


def _page_text(data: bytes, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.mark.parametrize("kind", list(PDFS))
def test_every_pdf_the_service_makes_is_tagged_pdf_ua_1(kind, request, db, client_as):
    make, template, _ = PDFS[kind]
    with _weasyprint_errors() as errors, _templates_rendered() as templates:
        data = make(request, client_as)
    assert template in templates
    assert not [r.getMessage() for r in errors]
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root

    assert root.MarkInfo.Marked is True
    assert root.Lang == "en-GB"
    assert root.ViewerPreferences.DisplayDocTitle is True
    title = str(pdf.docinfo.get("/Title", ""))
    assert title.strip()
    xmp = pdf.open_metadata()
    assert xmp.get("dc:title") == title
    assert xmp.get("pdfuaid:part") == "1"

    elements = list(_walk(root.StructTreeRoot))
    types = [str(e.S)[1:] for e in elements]
    assert set(types) <= STANDARD_TYPES, set(types) - STANDARD_TYPES
    headings = [int(t[1]) for t in types if t in {"H1", "H2", "H3", "H4", "H5", "H6"}]
    # One H1 first; no level skipped on the way down.
    assert headings[0] == 1 and headings.count(1) == 1, headings
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings
    assert types.index("H1") < types.index("Table"), "the heading is read before the table"
    for figure in (e for e in elements if e.S == "/Figure"):
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text"

    tables = [e for e in elements if e.S == "/Table"]
    for n, table in enumerate(tables):
        # Only a table's first part carries its caption: the rest continue it
        # at the top of the next page.
        continued = n and elements.index(table) == min(
            elements.index(e) for e in elements if e.get("/Pg") == table.Pg
        )
        assert continued or _children(table, "Caption"), "a table without a caption"
        head = _children(table, "THead")
        assert head, "a table without a header row group"
        first_row = _children(head[0], "TR")[0]
        cells = _children(first_row, "TH", "TD")
        assert cells and all(c.S == "/TH" for c in cells), [str(c.S) for c in cells]

    for page in pdf.pages:
        assert page.obj.Tabs == "/S"  # keyboard order follows the structure
    for name, font in _fonts(pdf):
        if font.Subtype != "/Type3":
            descriptor = font.FontDescriptor
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), name

    # WeasyPrint tags each page's part of a long table as a table of its
    # own, each with the repeated header row; the reader sees it repeat too.
    assert len(tables) >= len(pdf.pages) or len(pdf.pages) == 1
    header = {
        "cabinet summary": "Current funding",
        "cabinet report of contracts": "Whole-life value",
        "evaluation results": "Social value",
        "award letter": "Your score",
        "unsuccessful-bidder letter": "Your score",
    }[kind]
    for number in range(1, len(pdf.pages) + 1):
        assert header in _page_text(data, number), f"page {number} has no header row"


def test_the_long_report_runs_to_more_than_one_page_so_its_repeated_header_is_tested(
    db, client_as, request
):
    data = _contracts_report(request, client_as)
    assert len(pikepdf.open(io.BytesIO(data)).pages) >= 2


@functools.cache
def _service_sources() -> tuple[tuple[Path, ast.Module], ...]:
    """The service's own Python files; the benchmark times a plain
    WeasyPrint table against our report, so it is left out."""
    return tuple(
        (path, ast.parse(path.read_text()))
        for top in sorted(ROOT.iterdir())
        if top.is_dir()
        and not top.is_symlink()
        and not top.name.startswith(".")
        and top.name not in {"tests", "benchmarks", "static", "node_modules"}
        for path in top.rglob("*.py")
    )


def _render_pdf_call_sites() -> set[str]:
    """file:function of every call of render_pdf outside core/pdf.py."""
    sites = set()
    for path, tree in _service_sources():
        for scope in ast.walk(tree):
            if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(scope):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "render_pdf":
                    owner = next(
                        (
                            c.name
                            for c in ast.walk(tree)
                            if isinstance(c, ast.ClassDef) and scope in c.body
                        ),
                        None,
                    )
                    name = f"{owner}.{scope.name}" if owner else scope.name
                    sites.add(f"{path.relative_to(ROOT)}:{name}")
    return sites - {"core/pdf.py:render_pdf"}


def test_every_pdf_the_service_makes_is_listed_here():
    assert _render_pdf_call_sites() == {site for _, _, site in PDFS.values()}
    templates = {
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates").rglob("*_pdf.html")
        if not path.name.startswith("_")
    }
    assert templates == {template for _, template, _ in PDFS.values()}


def test_every_pdf_goes_through_render_pdf_not_weasyprint_itself():
    others = [
        str(path.relative_to(ROOT))
        for path, tree in _service_sources()
        if path.relative_to(ROOT).as_posix() != "core/pdf.py"
        and any(
            isinstance(node, ast.Import | ast.ImportFrom)
            and "weasyprint" in {getattr(node, "module", None)} | {a.name for a in node.names}
            for node in ast.walk(tree)
        )
    ]
    assert others == []
