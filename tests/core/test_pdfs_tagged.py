"""Every PDF the service makes is a tagged PDF/UA-1 document (issue 14,
decision 35): cabinet summaries are published on council websites and
letters go to bidders, so a screen reader must find the headings, the table
and its header cells, the language and the title.

Each PDF is made through its real view or service, never from a copy of
its template. veraPDF cannot be installed here (decision 35 says why), so
its PDF/UA-1 rules that WeasyPrint's output could break are checked with
pikepdf instead (tests/core/pdf_checks.py). A PDF added without a line in
PDFS fails test_every_pdf_the_service_makes_is_listed_here."""

import ast
import functools
import io
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
from tests.core.pdf_checks import assert_pdf_ua_1, weasyprint_errors
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


# Each PDF, the template it is drawn from, the code that calls render_pdf and
# a column header to find at the top of each page its table runs onto, and
# how many pages it has at least.
PDFS = {
    "cabinet summary": (
        _cabinet_summary,
        "finance/cabinet_summary_pdf.html",
        "finance/reports.py:_render_pdf",
        "Current funding",
        1,
    ),
    "cabinet report of contracts": (
        _contracts_report,
        "finance/contracts_pdf.html",
        "finance/reports.py:contracts_pdf",
        "Whole-life value",
        2,
    ),
    "evaluation results": (
        _results,
        "procurement/results_pdf.html",
        "procurement/views/call_offs.py:ResultsPdfView.get",
        "Social value",
        1,
    ),
    "award letter": (
        _letter(successful=True),
        "procurement/letter_pdf.html",
        "procurement/letters.py:letter_pdf",
        "Your score",
        1,
    ),
    "unsuccessful-bidder letter": (
        _letter(successful=False),
        "procurement/letter_pdf.html",
        "procurement/letters.py:letter_pdf",
        "Your score",
        1,
    ),
}


def _pdf(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response.content


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


@pytest.mark.parametrize("kind", list(PDFS))
def test_every_pdf_the_service_makes_is_tagged_pdf_ua_1(kind, request, db, client_as):
    make, template, _, header, pages = PDFS[kind]
    with weasyprint_errors() as errors, _templates_rendered() as templates:
        data = make(request, client_as)
    assert template in templates
    assert not [r.getMessage() for r in errors]
    assert_pdf_ua_1(data, header=header)
    # The long report's second page is where a header row must repeat.
    assert len(pikepdf.open(io.BytesIO(data)).pages) >= pages


@functools.cache
def _service_sources() -> tuple[tuple[Path, ast.Module], ...]:
    """The service's own Python files: the benchmark's plain table is not a
    PDF the service makes."""
    return tuple(
        (path, ast.parse(path.read_text()))
        for top in sorted(ROOT.iterdir())
        if top.is_dir()
        and not top.is_symlink()
        and not top.name.startswith(".")
        and top.name not in {"tests", "benchmarks", "static", "node_modules"}
        for path in top.rglob("*.py")
    )


class _CallSites(ast.NodeVisitor):
    """Class.function of each call of render_pdf in one module."""

    def __init__(self):
        self.scope, self.found = [], set()

    def _enter(self, node):
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _enter

    def visit_Call(self, node):
        if getattr(node.func, "id", None) == "render_pdf":
            self.found.add(".".join(self.scope))
        self.generic_visit(node)


def _render_pdf_call_sites() -> set[str]:
    """file:Class.function of every call of render_pdf."""
    sites = set()
    for path, tree in _service_sources():
        visitor = _CallSites()
        visitor.visit(tree)
        sites |= {f"{path.relative_to(ROOT).as_posix()}:{name}" for name in visitor.found}
    return sites


def test_every_pdf_the_service_makes_is_listed_here():
    assert _render_pdf_call_sites() == {site for _, _, site, *_ in PDFS.values()}
    templates = {
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates").rglob("*_pdf.html")
        if not path.name.startswith("_")
    }
    assert templates == {template for _, template, *_ in PDFS.values()}


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
