import re

from django import template
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced, so paging
    keeps the user's filters."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def elided_pages(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.filter
def duration_words(delta):
    """timedelta(minutes=30) -> "30 minutes"; timedelta(hours=2) -> "2 hours"."""
    minutes = round(delta.total_seconds() / 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@register.filter
def pounds(value):
    """Decimal pounds as £1,234,567.89, the way council papers print money."""
    if value is None or value == "":
        return ""
    if value < 0:
        return f"-£{-value:,.2f}"
    return f"£{value:,.2f}"


@register.filter
def short_date(value):
    """1 Jul 2019. Much cheaper than the date filter in long tables."""
    if not value:
        return ""
    return f"{value.day} {value:%b %Y}"


@register.simple_tag
def filter_fields(form):
    from core.filter_form import filter_fields as render

    return render(form)


@register.filter
def pounds_whole(value):
    """£950,488 for whole pounds (as cabinet papers print them), else £1,234.56."""
    if value is None or value == "":
        return ""
    sign, value = ("-", -value) if value < 0 else ("", value)
    if value == value.to_integral_value():
        return f"{sign}£{value:,.0f}"
    return f"{sign}£{value:,.2f}"


_DATE_RANGE = re.compile(r"(\d{2}/\d{2}/\d{4} – \d{2}/\d{2}/\d{4})")


@register.filter
def nowrap_dates(value):
    """Keep a date range such as 01/07/2019 - 30/06/2026 on one line."""
    # The text is escaped first; only our own span is added around the dates
    # (reviewed for bandit).
    html = _DATE_RANGE.sub(r'<span class="nowrap">\1</span>', escape(value))
    return mark_safe(html)  # noqa: S308  # nosec B308, B703


@register.simple_tag
def error_summary_items(form):
    """What the error summary lists: core.error_summary."""
    from core.error_summary import summary_items

    helper = getattr(form, "helper", None)
    # As crispy-forms-gds did: only forms it renders, and only when asked.
    if not form or not getattr(helper, "form_show_errors", False) or not form.errors:
        return []
    return summary_items(form)


_CAPTION = re.compile(r"<caption\b([^>]*)>(.*?)</caption>", re.DOTALL)
_ID = re.compile(r"""(?:^|\s)id=["']([^"']+)["']""")


class TableScrollNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        caption = _CAPTION.search(html)
        if caption is None:
            # The region is named by the caption; a table without one is a
            # template bug that tests/core/test_table_captions.py reports.
            raise template.TemplateSyntaxError("table_scroll needs a table with a <caption>")
        attrs, text = caption.groups()
        found = _ID.search(attrs)
        if found:
            caption_id = found[1]
        else:
            slug = slugify(strip_tags(text))[:50] or "table"
            caption_id = _unique_id(context, f"caption-{slug}")
            start = caption.start() + len("<caption")
            html = f'{html[:start]} id="{caption_id}"{html[start:]}'
        # html is the template's own output, escaped as it was rendered.
        table = mark_safe(html)  # noqa: S308  # nosec B308, B703
        return format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">'
            "{}</div>",
            caption_id,
            table,
        )


def _unique_id(context, candidate):
    """One id per caption on the page, the same on every render: a second
    table with the same caption (a partial included twice) gets -2."""
    request = context.get("request")
    used = getattr(request, "_caption_ids", None)
    if used is None:
        used = set()
        if request is not None:
            request._caption_ids = used
    unique, n = candidate, 1
    while unique in used:
        n += 1
        unique = f"{candidate}-{n}"
    used.add(unique)
    return unique


@register.tag
def table_scroll(parser, token):
    """{% table_scroll %}<table>…<caption>…</caption>…</table>{% endtable_scroll %}

    A table too wide for the screen scrolls inside its own region, named by
    its caption and focusable so keyboard users can scroll it, instead of
    making the whole page scroll sideways (WCAG 1.4.10; decision 36)."""
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist)
