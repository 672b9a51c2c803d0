"""Every PDF the service makes goes through render_pdf (decision 35).

Cabinet summaries are published on council websites, so each PDF must be
accessible (Public Sector Bodies Accessibility Regulations 2018): PDF/UA-1
makes WeasyPrint tag headings, tables and their header cells, take the
language from <html lang> and the title from <title>, and show that title
as the window title rather than the file name.
"""

from collections.abc import Callable

# PDF/UA-1 is on PDF 1.7, which every reader a council or a bidder uses opens;
# PDF/UA-2 needs PDF 2.0, for the same tree from WeasyPrint 70.
VARIANT = "pdf/ua-1"


class UntaggablePdf(ValueError):
    """The HTML lacks what a tagged PDF must carry; a template bug, not the
    user's, so it fails loudly in tests rather than shipping an untitled file."""


def render_pdf(
    html: str, *, base_url: str | None = None, laid_out: Callable[[], None] | None = None
) -> bytes:
    """The tagged PDF/UA-1 of an HTML document that has <html lang> and a
    <title>. laid_out is called between layout and writing, the two slow
    halves, for a report's progress bar."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    if not (document.metadata.title or "").strip():
        raise UntaggablePdf("A PDF needs a <title>: readers show it as the window title.")
    if not document.metadata.lang:
        raise UntaggablePdf('A PDF needs <html lang="en-GB">: screen readers speak by it.')
    if laid_out:
        laid_out()
    return document.write_pdf(pdf_variant=VARIANT)
