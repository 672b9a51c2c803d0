"""core.pdf.render_pdf refuses HTML a tagged PDF cannot be made from, and
the checks in pdf_checks fail the PDFs they should: so
test_pdfs_tagged.py can fail. A chart is an SVG whose <title> becomes its
alternative text; a decorative image is a CSS background, drawn as an
artifact (decision 35)."""

import base64
import io

import pytest

from core.pdf import UntaggablePdf, render_pdf
from tests.core.pdf_checks import assert_pdf_ua_1, walk, weasyprint_errors

TABLE = (
    "<table><caption>Savings</caption>"
    '<thead><tr><th scope="col">Service</th><th scope="col">Saving</th></tr></thead>'
    "<tbody><tr><td>Day care</td><td>£1,000</td></tr></tbody></table>"
)


def _png() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1, 1), 128).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


PNG = _png()


def _html(body, *, lang="en-GB", title="Savings"):
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><h1>Savings</h1>{body}</body></html>"
    )


def _figures(data) -> list[str]:
    """The alternative text of each figure."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(e.get("/Alt", "")) for e in walk(pdf.Root.StructTreeRoot) if e.S == "/Figure"]


def test_a_pdf_made_from_headed_captioned_html_passes_the_checks():
    assert_pdf_ua_1(render_pdf(_html(TABLE)), header="Saving")


@pytest.mark.parametrize(
    "html, message",
    [
        (_html(TABLE, title=" "), "<title>"),
        (_html(TABLE, lang=""), "lang"),
    ],
    ids=["no title", "no language"],
)
def test_render_pdf_refuses_html_without_a_title_or_a_language(html, message):
    with pytest.raises(UntaggablePdf, match=message):
        render_pdf(html)


@pytest.mark.parametrize(
    "table, message",
    [
        (TABLE.replace("<caption>Savings</caption>", ""), "caption"),
        (TABLE.replace("<thead>", "<tbody>").replace("</thead>", "</tbody>"), "header row"),
        (TABLE.replace("<th ", "<td ").replace("</th>", "</td>"), "not header cells"),
        ("<h3>Skipped a level</h3>" + TABLE, "a heading level skipped"),
    ],
    ids=["no caption", "no thead", "no header cells", "heading skips a level"],
)
def test_the_checks_fail_a_pdf_whose_table_or_headings_a_reader_cannot_follow(table, message):
    with pytest.raises(AssertionError, match=message):
        assert_pdf_ua_1(render_pdf(_html(table)), header="Saving")


def test_the_checks_fail_a_pdf_in_another_language_than_en_gb():
    with pytest.raises(AssertionError, match="language 'en', not en-GB"):
        assert_pdf_ua_1(render_pdf(_html(TABLE, lang="en")), header="Saving")


def test_a_chart_drawn_as_svg_takes_its_title_as_its_alternative_text():
    chart = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50" role="img">'
        "<title>Saving by service: day care £1,000</title>"
        '<rect width="120" height="20" fill="#1d70b8"/></svg>'
    )
    data = render_pdf(_html(chart + TABLE))
    assert _figures(data) == ["Saving by service: day care £1,000"]
    assert_pdf_ua_1(data, header="Saving")


def test_an_image_without_alternative_text_fails_the_checks():
    image = f'<img src="data:image/png;base64,{PNG}" width="20" height="20">'
    with weasyprint_errors() as errors:
        data = render_pdf(_html(image + TABLE))
    assert "no required alt" in " ".join(r.getMessage() for r in errors)
    with pytest.raises(AssertionError, match="alternative text"):
        assert_pdf_ua_1(data, header="Saving")
    described = image.replace("<img ", '<img alt="The council’s logo" ')
    assert _figures(render_pdf(_html(described + TABLE))) == ["The council’s logo"]


def test_a_decorative_image_drawn_as_a_css_background_is_no_figure():
    rule = (
        f'<div style="height: 4mm; background: url(data:image/png;base64,{PNG})"'
        ' aria-hidden="true"></div>'
    )
    data = render_pdf(_html(rule + TABLE))
    assert _figures(data) == []
    assert_pdf_ua_1(data, header="Saving")
